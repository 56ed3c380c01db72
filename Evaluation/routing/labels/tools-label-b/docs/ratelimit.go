package ratelimit

import (
	"sync"
	"time"
)

// Limiter is a per-key token bucket used by the API gateway.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	rate    float64 // tokens per second
	burst   float64
}

type bucket struct {
	tokens float64
	last   time.Time
}

func New(rate, burst float64) *Limiter {
	l := &Limiter{buckets: make(map[string]*bucket), rate: rate, burst: burst}
	go l.janitor()
	return l
}

func (l *Limiter) get(key string) *bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: time.Now()}
		l.buckets[key] = b
	}
	return b
}

// Allow reports whether one request for key may proceed.
func (l *Limiter) Allow(key string) bool {
	b := l.get(key)
	now := time.Now()
	elapsed := now.Sub(b.last).Seconds()
	b.tokens += elapsed * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

// janitor drops buckets idle for more than 10 minutes.
func (l *Limiter) janitor() {
	for range time.Tick(time.Minute) {
		l.mu.Lock()
		for k, b := range l.buckets {
			if time.Since(b.last) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.mu.Unlock()
	}
}

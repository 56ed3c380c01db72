/* A minimal mock of the Claude Messages API for overhead benchmarks: answers every POST /v1/messages (any other
 * path too) with one fixed, valid Messages response of ~1.8 KB and the usual anthropic headers, at once or after a
 * fixed delay.
 *
 * One thread, epoll, non-blocking sockets, HTTP/1.1 keep-alive (Content-Length bodies; chunked request bodies are
 * not supported, which no benchmark client sends). Delayed answers wait in a FIFO armed on one timerfd: every
 * answer waits the same delay, so the queue is already in deadline order (a one-slot timer wheel), and there is no
 * thread or timer per connection.
 *
 * Usage: mock PORT [DELAY_MS] [RPM]
 *   PORT      0 picks a free port; the chosen port is printed on stdout as "port N".
 *   DELAY_MS  delay before each answer (default 0).
 *   RPM       when given, also sends the anthropic-ratelimit-* headers of an organisation with that many requests
 *             per minute (a token bucket refilled continuously; remaining floors at 0; never answers 429), and
 *             2,000,000 input / 400,000 output tokens per minute that never run low.
 * Listens on 127.0.0.1 only. Stops on SIGINT or SIGTERM.
 * Build: cc -O2 -o mock mock.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define READ_CAP 65536

struct conn {
    int fd;
    uint32_t generation; /* bumped when the slot is reused, so a stale timer entry is ignored */
    char *in;
    size_t in_len;
    char *out;
    size_t out_len, out_off, out_cap;
    int waiting; /* a delayed answer is queued: parse nothing more until it is sent */
    int closing; /* close once the output is flushed */
};

struct timer_entry {
    int fd;
    uint32_t generation;
    uint64_t deadline_ns;
};

static struct conn **conns; /* indexed by fd */
static int conns_cap;
static struct timer_entry *queue;
static size_t queue_head, queue_len, queue_cap;
static int epfd, timerfd_, listen_fd;
static uint64_t delay_ns;
static long rpm;
static double bucket;
static uint64_t bucket_at_ns;
static volatile sig_atomic_t stop;
static uint64_t served;

static const char body_text[] =
    "The text is written in a formal register: it uses complete sentences, third-person reporting and precise "
    "business vocabulary (revenue, churn, pipeline) without contractions, slang or direct address. Each clause "
    "states a fact about the quarterly report and its regional breakdown, the way a finance team summarises results "
    "for executives. There are no exclamations, emoji or colloquial fillers, and the repeated structure reads like a "
    "template from a reporting tool rather than a personal note. Tone: formal. Confidence: high. Notes for the "
    "reviewer: the passage repeats one sentence many times, which suggests generated or pasted content; the "
    "classification does not depend on that repetition, since every instance has the same register. If the text "
    "were an email to a colleague, markers such as greetings, first-person plural, hedges and informal sign-offs "
    "would be expected, and none appear. The answer would not change if the passage were shortened to a single "
    "instance of the sentence. A shorter answer would be: formal, because of its vocabulary, its impersonal voice "
    "and the absence of any conversational marker. This mock returns the same text for every request so that the "
    "benchmark measures the proxy, not the upstream; its length matches a typical short completion of the Messages "
    "API, around one and a half kilobytes of text within the JSON envelope, so that the whole response body, with its "
    "usage block, comes to about 1.8 KB.";

static char body[4096];
static int body_len;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void on_signal(int sig) { (void)sig; stop = 1; }

static void die(const char *what) { perror(what); exit(1); }

static struct conn *conn_for(int fd) { return fd < conns_cap ? conns[fd] : NULL; }

static void conn_close(struct conn *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    conns[c->fd] = NULL;
    free(c->in);
    free(c->out);
    free(c);
}

static void out_append(struct conn *c, const char *data, size_t len) {
    if (c->out_len + len > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 8192;
        while (cap < c->out_len + len) cap *= 2;
        c->out = realloc(c->out, cap);
        if (!c->out) die("realloc");
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
}

static void want_write(struct conn *c, int on) {
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.fd = c->fd};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is buffered; returns -1 when the connection was closed. */
static int flush_out(struct conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n > 0) { c->out_off += (size_t)n; continue; }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { want_write(c, 1); return 0; }
        if (n < 0 && errno == EINTR) continue;
        conn_close(c);
        return -1;
    }
    if (c->out_cap > 0) want_write(c, 0);
    c->out_off = c->out_len = 0;
    if (c->closing) { conn_close(c); return -1; }
    return 0;
}

static void format_reset(char *buf, size_t cap, double seconds_ahead) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    time_t at = t.tv_sec + (time_t)(seconds_ahead + 0.999);
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void queue_answer(struct conn *c) {
    char head[2048];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\n"
                     "content-type: application/json\r\n"
                     "content-length: %d\r\n"
                     "request-id: req_mock%016llx\r\n"
                     "anthropic-organization-id: 00000000-0000-4000-8000-000000000000\r\n",
                     body_len, (unsigned long long)served);
    if (rpm > 0) {
        uint64_t now = now_ns();
        double per_ns = (double)rpm / 60e9;
        bucket += (double)(now - bucket_at_ns) * per_ns;
        if (bucket > (double)rpm) bucket = (double)rpm;
        bucket_at_ns = now;
        bucket -= 1;
        if (bucket < 0) bucket = 0;
        char reset[64], full[64];
        format_reset(reset, sizeof reset, ((double)rpm - bucket) / ((double)rpm / 60.0));
        format_reset(full, sizeof full, 0);
        n += snprintf(head + n, sizeof head - (size_t)n,
                      "anthropic-ratelimit-requests-limit: %ld\r\n"
                      "anthropic-ratelimit-requests-remaining: %ld\r\n"
                      "anthropic-ratelimit-requests-reset: %s\r\n"
                      "anthropic-ratelimit-input-tokens-limit: 2000000\r\n"
                      "anthropic-ratelimit-input-tokens-remaining: 2000000\r\n"
                      "anthropic-ratelimit-input-tokens-reset: %s\r\n"
                      "anthropic-ratelimit-output-tokens-limit: 400000\r\n"
                      "anthropic-ratelimit-output-tokens-remaining: 400000\r\n"
                      "anthropic-ratelimit-output-tokens-reset: %s\r\n"
                      "anthropic-ratelimit-tokens-limit: 2400000\r\n"
                      "anthropic-ratelimit-tokens-remaining: 2400000\r\n"
                      "anthropic-ratelimit-tokens-reset: %s\r\n",
                      rpm, (long)bucket, reset, full, full, full);
    }
    n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", c->closing ? "connection: close\r\n" : "");
    out_append(c, head, (size_t)n);
    out_append(c, body, (size_t)body_len);
    served++;
}

/* Finds the end of one request in the input; returns its length, 0 if incomplete, -1 if malformed. */
static long request_length(struct conn *c, int *close_after) {
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end) return c->in_len >= READ_CAP ? -1 : 0;
    size_t head_len = (size_t)(end - c->in) + 4;
    long content_length = 0;
    *close_after = 0;
    char *line = memchr(c->in, '\n', head_len);
    while (line && (size_t)(line - c->in) + 1 < head_len) {
        line++;
        if (strncasecmp(line, "content-length:", 15) == 0) content_length = strtol(line + 15, NULL, 10);
        else if (strncasecmp(line, "connection:", 11) == 0) {
            const char *v = line + 11;
            while (*v == ' ') v++;
            if (strncasecmp(v, "close", 5) == 0) *close_after = 1;
        }
        line = memchr(line, '\n', head_len - (size_t)(line - c->in));
    }
    if (content_length < 0 || content_length > READ_CAP) return -1;
    if (c->in_len < head_len + (size_t)content_length) return 0;
    return (long)(head_len + (size_t)content_length);
}

static void consume(struct conn *c, size_t len) {
    memmove(c->in, c->in + len, c->in_len - len);
    c->in_len -= len;
}

static void schedule(struct conn *c) {
    if (queue_len == queue_cap) {
        size_t cap = queue_cap ? queue_cap * 2 : 1024;
        struct timer_entry *q = malloc(cap * sizeof *q);
        if (!q) die("malloc");
        for (size_t i = 0; i < queue_len; i++) q[i] = queue[(queue_head + i) % queue_cap];
        free(queue);
        queue = q;
        queue_head = 0;
        queue_cap = cap;
    }
    uint64_t deadline = now_ns() + delay_ns;
    queue[(queue_head + queue_len) % queue_cap] = (struct timer_entry){c->fd, c->generation, deadline};
    if (queue_len++ == 0) {
        struct itimerspec its = {0};
        its.it_value.tv_sec = (time_t)(delay_ns / 1000000000ull);
        its.it_value.tv_nsec = (long)(delay_ns % 1000000000ull);
        if (delay_ns == 0) its.it_value.tv_nsec = 1;
        timerfd_settime(timerfd_, 0, &its, NULL);
    }
    c->waiting = 1;
}

/* Answers every complete request in the input (or queues the first one when there is a delay). */
static void process(struct conn *c) {
    while (!c->waiting && !c->closing) {
        int close_after;
        long len = request_length(c, &close_after);
        if (len == 0) break;
        if (len < 0) {
            static const char bad[] = "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
            c->closing = 1;
            out_append(c, bad, sizeof bad - 1);
            break;
        }
        consume(c, (size_t)len);
        c->closing = close_after;
        if (delay_ns > 0) { schedule(c); break; }
        queue_answer(c);
    }
    flush_out(c);
}

static void on_readable(struct conn *c) {
    for (;;) {
        if (c->in_len == READ_CAP) break;
        ssize_t n = read(c->fd, c->in + c->in_len, READ_CAP - c->in_len);
        if (n > 0) { c->in_len += (size_t)n; continue; }
        if (n == 0) { conn_close(c); return; }
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        conn_close(c);
        return;
    }
    process(c);
}

static void on_timer(void) {
    uint64_t expirations;
    (void)!read(timerfd_, &expirations, sizeof expirations);
    uint64_t now = now_ns();
    while (queue_len > 0 && queue[queue_head].deadline_ns <= now) {
        struct timer_entry e = queue[queue_head];
        queue_head = (queue_head + 1) % queue_cap;
        queue_len--;
        struct conn *c = conn_for(e.fd);
        if (!c || c->generation != e.generation || !c->waiting) continue;
        c->waiting = 0;
        queue_answer(c);
        if (flush_out(c) == 0) process(c); /* a pipelined request may be buffered already */
    }
    if (queue_len > 0) {
        uint64_t wait = queue[queue_head].deadline_ns - now;
        struct itimerspec its = {0};
        its.it_value.tv_sec = (time_t)(wait / 1000000000ull);
        its.it_value.tv_nsec = (long)(wait % 1000000000ull);
        timerfd_settime(timerfd_, 0, &its, NULL);
    }
}

static uint32_t next_generation;

static void on_accept(void) {
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (fd >= conns_cap) {
            int cap = conns_cap;
            while (cap <= fd) cap *= 2;
            conns = realloc(conns, (size_t)cap * sizeof *conns);
            if (!conns) die("realloc");
            memset(conns + conns_cap, 0, (size_t)(cap - conns_cap) * sizeof *conns);
            conns_cap = cap;
        }
        struct conn *c = calloc(1, sizeof *c);
        if (!c || !(c->in = malloc(READ_CAP))) die("malloc");
        c->fd = fd;
        c->generation = ++next_generation;
        conns[fd] = c;
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [DELAY_MS] [RPM]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    delay_ns = argc > 2 ? (uint64_t)strtoull(argv[2], NULL, 10) * 1000000ull : 0;
    rpm = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
    bucket = (double)rpm;
    bucket_at_ns = now_ns();
    body_len = snprintf(body, sizeof body,
                        "{\"id\":\"msg_01MockMockMockMockMockMock\",\"type\":\"message\",\"role\":\"assistant\","
                        "\"model\":\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":\"%s\"}],"
                        "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,"
                        "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":20,"
                        "\"service_tier\":\"standard\"}}",
                        body_text);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) die("socket");
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(listen_fd, 4096) < 0) die("listen");
    socklen_t alen = sizeof addr;
    getsockname(listen_fd, (struct sockaddr *)&addr, &alen);
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);

    conns_cap = 1024;
    conns = calloc((size_t)conns_cap, sizeof *conns);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    timerfd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (!conns || epfd < 0 || timerfd_ < 0) die("setup");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listen_fd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev);
    ev.data.fd = timerfd_;
    epoll_ctl(epfd, EPOLL_CTL_ADD, timerfd_, &ev);

    struct epoll_event events[MAX_EVENTS];
    while (!stop) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, 1000);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listen_fd) { on_accept(); continue; }
            if (fd == timerfd_) { on_timer(); continue; }
            struct conn *c = conn_for(fd);
            if (!c) continue;
            if (events[i].events & (EPOLLERR | EPOLLHUP)) { conn_close(c); continue; }
            if (events[i].events & EPOLLOUT) {
                if (flush_out(c) < 0) continue;
                if (!c->waiting) process(c);
                continue;
            }
            if (events[i].events & EPOLLIN) on_readable(c);
        }
    }
    return 0;
}

#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

// libcurl's option and info calls are C variadics, which Swift cannot call. Each wrapper below fixes one
// argument type, so the compiler passes exactly what libcurl reads for that option (a `long` for long options,
// never an `int`, or 64-bit platforms read garbage in the upper half).

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The signature of CURLMOPT_SOCKETFUNCTION callbacks (which sockets to watch for which events).
typedef int (*ccurl_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp);

/// The signature of CURLMOPT_TIMERFUNCTION callbacks (when to call curl_multi_socket_action with a timeout).
typedef int (*ccurl_timer_callback)(CURLM *multi, long timeout_ms, void *userp);

static inline CURLMcode ccurl_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode ccurl_multi_setopt_socket_callback(CURLM *handle, CURLMoption option, ccurl_socket_callback value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode ccurl_multi_setopt_timer_callback(CURLM *handle, CURLMoption option, ccurl_timer_callback value) {
    return curl_multi_setopt(handle, option, value);
}

/// CURL_SOCKET_TIMEOUT is a macro of a macro; the socket value that means "a timeout fired".
static inline curl_socket_t ccurl_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }

/// CURL_WRITEFUNC_PAUSE is a macro with a cast Swift does not import.
static inline size_t ccurl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }

/// CURLPAUSE_CONT is a macro built from other macros Swift does not import.
static inline int ccurl_pause_cont(void) { return CURLPAUSE_CONT; }

/// CURLE_OK etc. import fine, but CURL_GLOBAL_DEFAULT is a macro expression.
static inline long ccurl_global_default(void) { return CURL_GLOBAL_DEFAULT; }

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// A non-blocking, close-on-exec eventfd (the flags are macros Swift's Glibc module does not export here).
static inline int ccurl_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

/// Watches `fd` in `epfd` for what libcurl's socket callback asked (`CURL_POLL_IN`, `_OUT` or `_INOUT`), once:
/// `EPOLLONESHOT` disarms it when it fires, until the next `EPOLL_CTL_MOD`. `op` is `EPOLL_CTL_ADD` or `_MOD`.
/// In C because `struct epoll_event` is packed on x86-64.
static inline int ccurl_epoll_watch(int epfd, int op, int fd, int what) {
    struct epoll_event event = {0};
    event.events = EPOLLONESHOT | ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event);
}

/// Stops watching `fd`.
static inline int ccurl_epoll_forget(int epfd, int fd) {
    struct epoll_event event = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

/// Waits up to `timeout_ms` (-1: without end) for at most `capacity` (at most 64) ready descriptors; writes each
/// one's descriptor to `fds` and its readiness as libcurl's `CURL_CSELECT_*` bits to `cselect`. Returns the count,
/// or -1 with `errno` set.
static inline int ccurl_epoll_wait(int epfd, int *fds, int *cselect, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epfd, events, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        int flags = 0;
        if (events[i].events & (EPOLLIN | EPOLLPRI | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
        fds[i] = events[i].data.fd;
        cselect[i] = flags;
    }
    return count;
}
#endif

#endif

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

#endif

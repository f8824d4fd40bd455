/* A lean reader of N event streams, for benchmarks/pushpin_fanout.py --client c.
 *
 * The Python client reads 1,000 sockets in one interpreter on the same two
 * cores as Pushpin, daphne and PostgreSQL, and its own time is in every
 * figure. This one does the same in C: opens N SSE connections to
 * 127.0.0.1:PORT, reads them all with one epoll loop, and stamps each
 * arrival with CLOCK_MONOTONIC (the clock of Python's time.monotonic() and
 * time.perf_counter() on Linux), so the caller compares it with its own t0.
 *
 *   sse_client PORT PATH COOKIE COUNT
 *
 * Protocol, one line each way, on stdin/stdout:
 *   prints  "open OK OTHER"   once every stream said stream-open (OK of them)
 *                             or ended / answered something else (OTHER);
 *   reads   "expect MARKER"   forgets what was read so far, prints "ready";
 *   prints  "seen T1 T2 ..."  once MARKER reached every open stream: the
 *                             seconds (CLOCK_MONOTONIC) at which each read
 *                             it, or "lost K" if a stream ended first;
 *   reads   "quit" or EOF     closes everything and exits.
 * Built by pushpin_fanout.py with gcc -O2 (no libraries).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 8192       /* kept per stream: enough for any one event */
#define MARKER_MAX 1024

struct stream {
    int fd;
    int open;          /* 1 after stream-open, -1 ended or refused */
    size_t len;
    double seen;       /* arrival of the expected marker, 0 until then */
    char buf[BUF];
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Append to a stream's buffer, keeping its tail when full (a marker is short). */
static void keep(struct stream *s, const char *data, size_t n) {
    if (n >= BUF - 1) {
        data += n - (BUF / 2);
        n = BUF / 2;
        s->len = 0;
    } else if (s->len + n >= BUF - 1) {
        size_t drop = s->len + n - (BUF / 2);
        if (drop > s->len) drop = s->len;
        memmove(s->buf, s->buf + drop, s->len - drop);
        s->len -= drop;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s PORT PATH COOKIE COUNT\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    int count = atoi(argv[4]);
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    char request[8192];
    int reqlen = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n"
                          "Cookie: %s\r\n\r\n",
                          argv[2], port, argv[3]);
    struct stream *streams = calloc(count, sizeof *streams);
    int ep = epoll_create1(0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    for (int i = 0; i < count; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
            perror("connect");
            return 1;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (write(fd, request, reqlen) != reqlen) {
            perror("write");
            return 1;
        }
        streams[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    struct epoll_event in = {.events = EPOLLIN, .data.u32 = (unsigned)count};
    epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);

    int ok = 0, other = 0, open_reported = 0, lost = 0, remaining = 0, expecting = 0;
    char marker[MARKER_MAX] = "";
    char line[1024];
    size_t linelen = 0;
    char chunk[65536];
    struct epoll_event events[1024];
    for (;;) {
        if (!open_reported && ok + other == count) {
            printf("open %d %d\n", ok, other);
            fflush(stdout);
            open_reported = 1;
        }
        if (expecting && remaining == 0) {
            if (lost) {
                printf("lost %d\n", lost);
            } else {
                printf("seen");
                for (int i = 0; i < count; i++)
                    if (streams[i].open == 1) printf(" %.6f", streams[i].seen);
                printf("\n");
            }
            fflush(stdout);
            expecting = 0;
        }
        int n = epoll_wait(ep, events, 1024, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        double t = now();  /* one stamp per wake-up, as the Python client does per poll result */
        for (int e = 0; e < n; e++) {
            unsigned i = events[e].data.u32;
            if (i == (unsigned)count) { /* a command */
                ssize_t got = read(0, line + linelen, sizeof line - 1 - linelen);
                if (got <= 0) return 0;
                linelen += got;
                char *nl;
                while ((nl = memchr(line, '\n', linelen))) {
                    *nl = 0;
                    if (strncmp(line, "expect ", 7) == 0) {
                        snprintf(marker, sizeof marker, "%s", line + 7);
                        remaining = lost = 0;
                        for (int k = 0; k < count; k++) {
                            streams[k].len = 0;
                            streams[k].seen = 0;
                            if (streams[k].open == 1) remaining++;
                        }
                        expecting = 1;
                        printf("ready\n");
                        fflush(stdout);
                    } else if (strcmp(line, "quit") == 0) {
                        return 0;
                    }
                    size_t used = nl + 1 - line;
                    memmove(line, nl + 1, linelen - used);
                    linelen -= used;
                }
                continue;
            }
            struct stream *s = &streams[i];
            ssize_t got = read(s->fd, chunk, sizeof chunk);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got <= 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                if (s->open == 0) other++;
                else if (s->open == 1 && expecting && s->seen == 0) { lost++; remaining--; }
                s->open = -1;
                continue;
            }
            keep(s, chunk, got);
            if (s->open == 0) {
                if (strstr(s->buf, "stream-open")) {
                    s->open = 1;
                    ok++;
                    s->len = 0;
                } else if (strncmp(s->buf, "HTTP/1.1 200", 12) && strstr(s->buf, "\r\n\r\n")) {
                    /* refused (a 502, say): counted, and the connection closed */
                    epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                    close(s->fd);
                    s->open = -1;
                    other++;
                }
            } else if (expecting && s->seen == 0 && strstr(s->buf, marker)) {
                s->seen = t;
                s->len = 0;
                remaining--;
            }
        }
    }
}

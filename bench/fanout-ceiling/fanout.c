// fanout: the least this machine can spend to deliver the same event frames to many loopback TCP
// readers, with no server in the way. One sender process writes, every TICK ms, the frames of the
// events that arrived during the last tick (RATE per second, each FRAME_BYTES long, shaped like a
// Spooled SSE JobCreated frame) to each of N connections with one write per connection; one reader
// process reads every connection (epoll), finds each frame's end, reads its timestamp
// (CLOCK_MONOTONIC ns: the event's arrival time) and records latency. Reports frames delivered per
// second, each process's CPU, and latency percentiles.
//   gcc -O2 -o fanout bench/fanout-ceiling/fanout.c && ./fanout N RATE TICK_MS SECONDS [FRAME_BYTES=266]
// Bounded: stops after SECONDS (at most 120); needs N+ open files (ulimit -n).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }
static double cpu_s(int who) { struct rusage u; getrusage(who, &u); return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }

#define MAXLAT 1000  // latency histogram: 0.1 ms buckets up to 100 ms, then overflow
int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s N RATE TICK_MS SECONDS [FRAME_BYTES]\n", argv[0]); return 2; }
    int n = atoi(argv[1]); double rate = atof(argv[2]); double tick = atof(argv[3]); double secs = atof(argv[4]);
    int frame = argc > 5 ? atoi(argv[5]) : 266;
    if (n < 1 || n > 10000 || rate <= 0 || tick <= 0 || secs <= 0 || secs > 120 || frame < 256 || frame > 4096) { fprintf(stderr, "bad arguments\n"); return 2; }
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 4096) || getsockname(lfd, (struct sockaddr *)&a, &al)) { perror("listen"); return 1; }
    int *cfd = malloc(sizeof(int) * n), *sfd = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++) {
        cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(cfd[i], (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 1; }
        sfd[i] = accept(lfd, NULL, NULL);
        int one = 1; setsockopt(sfd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    int64_t start = now_ns() + 200000000, end = start + (int64_t)(secs * 1e9);
    pid_t child = fork();
    if (child == 0) {  // reader
        for (int i = 0; i < n; i++) close(sfd[i]);
        int ep = epoll_create1(0);
        for (int i = 0; i < n; i++) { struct epoll_event e = { .events = EPOLLIN, .data.u32 = i }; epoll_ctl(ep, EPOLL_CTL_ADD, cfd[i], &e); }
        size_t cap = 1 << 16; char **buf = malloc(sizeof(char *) * n); size_t *fill = calloc(n, sizeof(size_t));
        for (int i = 0; i < n; i++) buf[i] = malloc(cap);
        long hist[MAXLAT + 1] = {0}; long frames = 0, reads = 0; int open = n;
        struct epoll_event ev[256];
        while (open > 0) {
            int k = epoll_wait(ep, ev, 256, 1000);
            int64_t t = now_ns();
            for (int j = 0; j < k; j++) {
                int i = ev[j].data.u32;
                ssize_t r = read(cfd[i], buf[i] + fill[i], cap - fill[i]);
                if (r <= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, cfd[i], NULL); open--; continue; }
                reads++; fill[i] += r;
                char *p = buf[i], *stop = buf[i] + fill[i];
                for (;;) {  // a frame ends with "\n\n"; its timestamp is the digits after the last ':' before the end.
                    char *e = p;
                    while ((e = memchr(e, '\n', stop - e)) && e + 1 < stop && e[1] != '\n') e++;
                    if (!e || e + 1 >= stop) break;
                    char *ts = memrchr(p, ':', e - p);
                    if (ts) {
                        int64_t v = 0; for (char *d = ts + 2; *d >= '0' && *d <= '9'; d++) v = v * 10 + (*d - '0');
                        long b = (t - v) / 100000; hist[b < 0 ? 0 : b > MAXLAT ? MAXLAT : b]++;
                    }
                    frames++; p = e + 2;
                }
                fill[i] = stop - p; memmove(buf[i], p, fill[i]);
            }
        }
        long total = 0, acc = 0; for (int b = 0; b <= MAXLAT; b++) total += hist[b];
        double p50 = -1, p99 = -1, p999 = -1, within = 0;
        for (int b = 0; b <= MAXLAT; b++) { acc += hist[b];
            if (p50 < 0 && acc >= total * 0.5) p50 = (b + 1) / 10.0;
            if (p99 < 0 && acc >= total * 0.99) p99 = (b + 1) / 10.0;
            if (p999 < 0 && acc >= total * 0.999) p999 = (b + 1) / 10.0;
            if (b < 500) within += hist[b]; }
        struct rusage ru; getrusage(RUSAGE_SELF,&ru); printf("reader: user_s=%.2f sys_s=%.2f ", ru.ru_utime.tv_sec+ru.ru_utime.tv_usec/1e6, ru.ru_stime.tv_sec+ru.ru_stime.tv_usec/1e6);
        printf("reader: frames=%ld reads=%ld cpu_s=%.2f latency_ms p50<=%.1f p99<=%.1f p99.9<=%.1f within_50ms=%.4f\n",
               frames, reads, cpu_s(RUSAGE_SELF), p50, p99, p999, total ? within / total : 0);
        return 0;
    }
    for (int i = 0; i < n; i++) close(cfd[i]);
    // The block of one tick: the frames of the events that arrived during it, stamped evenly.
    int per = (int)(rate * tick / 1000 + 0.5); if (per < 1) per = 1;
    char *block = malloc((size_t)per * frame);
    const char *head = "id: 1234567\ndata: {\"type\":\"JobCreated\",\"queue_name\":\"loadgen-bbf873a9\",\"job_id\":\"0b7e6a4c-1d2f-4e8a-9c3b-5a6d7e8f9012\",\"data\":{\"job_id\":\"0b7e6a4c-1d2f-4e8a-9c3b-5a6d7e8f9012\",\"queue_name\":\"loadgen-bbf873a9\",\"priority\":0,\"timestamp\":\"";
    long sent = 0, writes = 0, ticks = 0; int64_t next = start;
    while (next < end) {
        int64_t t; while ((t = now_ns()) < next) { struct timespec s = { 0, next - t }; nanosleep(&s, NULL); }
        for (int k = 0; k < per; k++) {
            char *f = block + (size_t)k * frame;
            int64_t arrived = next - (int64_t)(tick * 1e6) + (int64_t)(tick * 1e6) * k / per;
            int h = snprintf(f, frame, "%s%019lld\"}}", head, (long long)arrived);
            memset(f + h, ' ', frame - h - 2); f[frame - 2] = '\n'; f[frame - 1] = '\n';
        }
        for (int i = 0; i < n; i++) {
            size_t off = 0, len = (size_t)per * frame;
            while (off < len) { ssize_t w = write(sfd[i], block + off, len - off); if (w < 0) { if (errno == EINTR) continue; perror("write"); return 1; } off += w; writes++; }
            sent += per;
        }
        ticks++; next += (int64_t)(tick * 1e6);
    }
    double el = (now_ns() - start) / 1e9;
    for (int i = 0; i < n; i++) close(sfd[i]);
    int st; waitpid(child, &st, 0);
    printf("sender: n=%d rate=%.0f/s tick_ms=%.1f frame_bytes=%d ticks=%ld frames=%ld (%.0f/s) writes=%ld cpu_s=%.2f (%.3f cores) elapsed_s=%.2f\n",
           n, rate, tick, frame, ticks, sent, sent / el, writes, cpu_s(RUSAGE_SELF), cpu_s(RUSAGE_SELF) / el, el);
    printf("reader cpu cores: %.3f; both: %.3f cores for %.0f frames/s\n", cpu_s(RUSAGE_CHILDREN) / el, (cpu_s(RUSAGE_SELF) + cpu_s(RUSAGE_CHILDREN)) / el, sent / el);
    return 0;
}

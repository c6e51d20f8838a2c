/* ping.c — the floor: libmicrohttpd answering every request with a fixed
 * 2-byte body, configured as `luoshi serve` configures it (internal polling
 * threads over epoll, the same thread pool size).  bench/run measures it in
 * the same run as luoshi, so the list's figure can be read as a share of
 * what the server library alone reaches on this machine.
 *
 *   build/rel/bench/ping PORT [THREADS]   (runs until killed) */
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
    (void)state;
    static const char body[] = "ok";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(2, (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "text/plain");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    unsigned threads = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 4;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)strtoul(argv[1], NULL, 10), NULL,
        NULL, on_request, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1000, MHD_OPTION_END);
    if (!d) return 1;
    for (;;)
        pause();
}

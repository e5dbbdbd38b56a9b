/* The lab's control channel: lime-sim on the host talks to `lime-sim __agent` in the
 * qemu guest over one TCP connection per command (qemu user-mode networking forwards
 * 127.0.0.1:PORT on the host to the agent's port in the guest).
 *
 * Frames: 1 byte type, 4 bytes big-endian payload length (at most SIM_CHAN_MAX), payload.
 *   client -> agent   H token (hex)   must come first, within 10 s; a wrong one ends it
 *                     R cwd NUL arg NUL arg ...   run `lime-sim ARGS` in the guest
 *                     T namespace NUL port        connect to 127.0.0.1:port in namespace;
 *                                                 after K the connection carries raw bytes
 *                     I data           stdin of the command; empty = end of input
 *   agent -> client   K text           hello answered ("ok", or what failed at boot) / tunnel up
 *                     ! text           request refused
 *                     O data, E data   the command's stdout, stderr
 *                     A                alive: sent after 1 s of silence, so a client knows the
 *                                      guest still runs while a long command prints nothing
 *                     X status         4 bytes big-endian: exit code, 128+N if killed by N
 * A malformed frame (unknown type, oversized) ends the connection and is counted. */
#ifndef LIME_SIM_CHAN_H
#define LIME_SIM_CHAN_H

#include <stddef.h>

#define SIM_CHAN_MAX (1u << 20)

enum {
    SIM_F_HELLO = 'H',
    SIM_F_RUN = 'R',
    SIM_F_TUNNEL = 'T',
    SIM_F_STDIN = 'I',
    SIM_F_OK = 'K',
    SIM_F_ERROR = '!',
    SIM_F_STDOUT = 'O',
    SIM_F_STDERR = 'E',
    SIM_F_ALIVE = 'A',
    SIM_F_EXIT = 'X',
};

struct sim_frame {
    int type;
    const unsigned char *data; /* valid until the next sim_chan_next/feed */
    size_t len;
};

struct sim_chan_rx {
    unsigned char *buf;
    size_t len, off, cap;
    unsigned long malformed; /* frames refused since init */
};

void sim_chan_rx_init(struct sim_chan_rx *rx);
void sim_chan_rx_free(struct sim_chan_rx *rx);
/* Appends received bytes. 0, or -1 on out-of-memory. */
int sim_chan_feed(struct sim_chan_rx *rx, const void *p, size_t n);
/* 1 and the next complete frame in f; 0 if more bytes are needed; -1 if the stream is
 * malformed (the connection must be dropped). */
int sim_chan_next(struct sim_chan_rx *rx, struct sim_frame *f);
/* Bytes received after the last frame taken (a tunnel's first raw bytes). */
size_t sim_chan_pending(const struct sim_chan_rx *rx, const unsigned char **p);

/* Writes one frame (blocking; the socket's SO_SNDTIMEO bounds it). 0 or -1. */
int sim_chan_send(int fd, int type, const void *data, size_t len);
/* Splits a NUL-separated payload into at most max-1 strings (copied into *store, which
 * the caller frees), NULL-terminated. Count, or -1 if it is empty, not NUL-terminated
 * or has too many parts. */
int sim_chan_split(const unsigned char *p, size_t len, char **out, int max, char **store);

/* Host side. Connects to 127.0.0.1:port, sends the token and waits for the answer
 * (within timeout_ms). The socket, with the agent's answer in reply; -1 with err. */
int sim_chan_open(int port, const char *token, int timeout_ms, char *reply, size_t rlen, char *err,
                  size_t errlen);
/* Runs `lime-sim argv...` in the guest from cwd, relaying its stdout (into capture
 * instead, if not NULL) and stderr to ours and, with fwd_stdin, our stdin to it. Fails
 * when nothing (not even A) arrives for idle_ms, or guest_alive() returns 0. The
 * command's exit status; -1 with err on a channel failure. */
struct lime_strbuf;
int sim_chan_run(int fd, const char *cwd, char *const argv[], int fwd_stdin, int idle_ms,
                 int (*guest_alive)(void), struct lime_strbuf *capture, char *err, size_t errlen);
/* Asks for a tunnel to 127.0.0.1:port inside namespace ns. 0 (fd now carries raw bytes),
 * or -1 with err. */
int sim_chan_tunnel(int fd, const char *ns, int port, int timeout_ms, char *err, size_t errlen);

#endif

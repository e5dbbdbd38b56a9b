/* The local control socket the `shared-state-async` CLI talks to: a unix stream socket;
 * one JSON request per connection (ended by a newline or EOF), one JSON reply, close.
 *   {"op":"get","type":T}                     -> {"error":0,"data":{key: data}}
 *   {"op":"dump","type":T}                    -> {"error":0,"data":[{key,value}]}
 *   {"op":"insert","type":T,"data":{k: v}}    -> {"error":0}
 *   {"op":"register","type":T,"scope":S,"interval":N,"ttl":N} -> {"error":0}
 *   {"op":"sync","type":T,"peers":[addr...]}  -> {"error":0|5,"failed":n,"total":n}
 *   {"op":"discover"}                         -> {"error":0,"data":["fe80::1%eth0",...]}
 *   {"op":"counters"}                         -> {"error":0,"data":{name: n}}
 * "error" is an ss_err (service.h); on error "message" says what was wrong. */
#ifndef SS_CONTROL_H
#define SS_CONTROL_H

struct lime_loop;
struct ss_service;
struct ss_control;

struct ss_control *ss_control_start(struct lime_loop *loop, const char *path,
                                    struct ss_service *ss);
void ss_control_stop(struct ss_control *c);

struct json_object;
typedef void (*ss_control_reply_cb)(void *arg, struct json_object *reply);
/* Evaluates one request text; done gets the reply (owned by done), at once or, for a
 * sync, when it completes. The socket server and the fuzz harness use it. */
void ss_control_eval(struct ss_service *ss, const char *text, ss_control_reply_cb done, void *arg);

#endif

/* Kernel-generated batman-adv frames (see batd_pcap_frames.c). Frame n of the pcap is
 * batd_iv_frames[n - 1]; ms = milliseconds since the first frame. */
#ifndef BATD_PCAP_FRAMES_H
#define BATD_PCAP_FRAMES_H

#include <stddef.h>
#include <stdint.h>

struct pcap_frame {
    uint64_t ms;
    const uint8_t *data;
    size_t len;
};

extern const struct pcap_frame batd_iv_frames[];
extern const size_t batd_iv_nframes;
extern const uint8_t batd_v_elp[];
extern const size_t batd_v_elp_len;

#endif

/*
 * vigil.media._accel: the per-packet work of a GB/T 28181 PS-over-RTP stream, compiled.
 *
 * Hundreds of cameras share a core and each sends ~450 RTP packets a second; in Python the header
 * parse, reorder and run bookkeeping cost about 2 µs a packet, the largest share of the media
 * plane. This module does that work per packet in C and leaves Python one call per frame:
 *
 *   RtpRuns          one stream's RTP endpoint: header parse (RFC 3550 §5.1), SSRC lock, the
 *                    reorder buffer with RFC 3550 §A.1 sequence extension and §A.8 jitter, and
 *                    the payloads of consecutive packets joined into runs for the PS demuxer.
 *   annexb_to_avcc   Annex B (start codes) to length-prefixed NAL units, as an MP4 sample.
 *   ps_frame         the access units of a run that is one well-formed PS frame (the common
 *                    case of the PS demuxer; anything else is left to the Python demuxer).
 *   is_keyframe      whether an H.264/H.265 frame starts a GOP, from its first NAL headers.
 *   avcc_fragment    a one-frame fMP4 fragment (moof + mdat) straight from the Annex B frame.
 *   recv_datagrams   drain a non-blocking UDP socket with recvmmsg(2).
 *
 * The Python code it mirrors is the reference: vigil.protocols.rtp.parse_rtp_header,
 * vigil.protocols.rtp_reorder.ReorderBuffer, vigil.media.sources.ps_rtp (run splitting) and
 * vigil.media.mp4_fragments (annexb_to_mp4, fragment). Differential tests hold the two to the
 * same output, garbage included. No third-party code; only the CPython C API and libc.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>

#define SEQ_MOD 65536
#define SEQ_HALF 32768
#define MAX_DROPOUT 3000 /* RFC 3550 §A.1, as in rtp_reorder.py */
#define MAX_MISORDER 100

/* A packet on its way through the reorder buffer: the datagram and where its payload lies. */
typedef struct {
    PyObject *packet; /* owned reference to a bytes object */
    Py_ssize_t start, end;
    int seq;
    int marker;
} Item;

typedef struct {
    long long ext;
    double arrival;
    Item item;
} Held;

typedef struct {
    Item *items;
    Py_ssize_t len, cap;
} Items;

static int items_push(Items *v, Item it) {
    if (v->len == v->cap) {
        Py_ssize_t cap = v->cap ? v->cap * 2 : 64;
        Item *grown = PyMem_Realloc(v->items, cap * sizeof(Item));
        if (grown == NULL) {
            Py_DECREF(it.packet);
            PyErr_NoMemory();
            return -1;
        }
        v->items = grown;
        v->cap = cap;
    }
    v->items[v->len++] = it;
    return 0;
}

static void items_clear(Items *v) {
    for (Py_ssize_t i = 0; i < v->len; i++) Py_DECREF(v->items[i].packet);
    v->len = 0;
}

typedef struct {
    PyObject_HEAD
    /* reorder buffer */
    int depth;
    double max_delay;
    double clock_rate;
    Held *pending;
    int held;
    long long next, highest, bad_seq;
    int has_transit;
    double last_transit, jitter;
    long long received, lost, duplicates, reordered, late, restarts;
    /* endpoint */
    long long ssrc; /* -1: none seen yet */
    long long packets, bytes, malformed, foreign;
    long long expected; /* next run's first sequence number, -1 before the first run */
    long long gaps;
    Items scratch;
} RtpRuns;

static void rr_start(RtpRuns *self, int seq) {
    self->next = self->highest = seq;
    self->has_transit = 0;
}

static void rr_jitter(RtpRuns *self, unsigned long ts, double now) {
    double transit = now * self->clock_rate - (double)ts;
    if (self->has_transit) self->jitter += (fabs(transit - self->last_transit) - self->jitter) / 16;
    self->last_transit = transit;
    self->has_transit = 1;
}

static int rr_drain(RtpRuns *self, Items *out) {
    /* Everything held, in sequence order; the gaps between are lost. */
    while (self->held) {
        int best = 0;
        for (int i = 1; i < self->held; i++)
            if (self->pending[i].ext < self->pending[best].ext) best = i;
        Held h = self->pending[best];
        self->pending[best] = self->pending[--self->held];
        self->lost += h.ext - self->next;
        self->next = h.ext + 1;
        if (items_push(out, h.item) < 0) return -1;
    }
    return 0;
}

static int rr_release(RtpRuns *self, double now, Items *out) {
    while (self->held) {
        int found = -1, oldest = 0;
        for (int i = 0; i < self->held; i++) {
            if (self->pending[i].ext == self->next) found = i;
            if (self->pending[i].ext < self->pending[oldest].ext) oldest = i;
        }
        if (found >= 0) {
            Item it = self->pending[found].item;
            self->pending[found] = self->pending[--self->held];
            self->next += 1;
            if (items_push(out, it) < 0) return -1;
            continue;
        }
        if (self->held < self->depth && now - self->pending[oldest].arrival < self->max_delay) break;
        self->lost += self->pending[oldest].ext - self->next;
        self->next = self->pending[oldest].ext;
    }
    return 0;
}

/* ReorderBuffer.push: takes ownership of it.packet. */
static int rr_push(RtpRuns *self, int seq, unsigned long ts, Item it, double now, Items *out) {
    if (self->next < 0) rr_start(self, seq);
    long long highest = self->highest;
    long long delta = ((long long)seq - highest) % SEQ_MOD;
    if (delta < 0) delta += SEQ_MOD;
    long long ext = delta < SEQ_HALF ? highest + delta : highest + delta - SEQ_MOD;
    if (ext == self->next && ext >= highest && !self->held) {
        self->highest = ext;
        self->next = ext + 1;
        self->bad_seq = -1;
        self->received += 1;
        rr_jitter(self, ts, now);
        return items_push(out, it);
    }
    if (ext < self->next) {
        if (ext >= self->next - MAX_MISORDER) {
            self->late += 1;
            Py_DECREF(it.packet);
            return 0;
        }
        if (seq != self->bad_seq) {
            self->bad_seq = (seq + 1) % SEQ_MOD;
            self->late += 1;
            Py_DECREF(it.packet);
            return 0;
        }
        if (rr_drain(self, out) < 0) {
            Py_DECREF(it.packet);
            return -1;
        }
        self->restarts += 1;
        rr_start(self, seq);
        return rr_push(self, seq, ts, it, now, out);
    }
    if (ext >= self->next + MAX_DROPOUT) {
        if (rr_drain(self, out) < 0) {
            Py_DECREF(it.packet);
            return -1;
        }
        self->restarts += 1;
        rr_start(self, seq);
        ext = self->next;
    } else {
        for (int i = 0; i < self->held; i++) {
            if (self->pending[i].ext == ext) {
                self->duplicates += 1;
                Py_DECREF(it.packet);
                return 0;
            }
        }
    }
    self->bad_seq = -1;
    self->received += 1;
    rr_jitter(self, ts, now);
    if (ext < self->highest)
        self->reordered += 1;
    else
        self->highest = ext;
    if (ext == self->next && !self->held) {
        self->next += 1;
        return items_push(out, it);
    }
    /* Held entries stay below depth after every release, so there is always room. */
    Held *slot = &self->pending[self->held++];
    slot->ext = ext;
    slot->arrival = now;
    slot->item = it;
    return rr_release(self, now, out);
}

/* RFC 3550 §5.1 header; 0 and the payload bounds, or -1 for a malformed packet. */
static int parse_header(const unsigned char *b, Py_ssize_t n, Py_ssize_t *start, Py_ssize_t *end) {
    if (n < 12) return -1;
    unsigned char b0 = b[0];
    if (b0 == 0x80) {
        *start = 12;
        *end = n;
        return 0;
    }
    if ((b0 & 0xC0) != 0x80) return -1;
    Py_ssize_t offset = 12 + 4 * (b0 & 0x0F), stop = n;
    if (b0 & 0x10) {
        if (offset + 4 > stop) return -1;
        offset += 4 + 4 * ((b[offset + 2] << 8) | b[offset + 3]);
    }
    if (b0 & 0x20) {
        if (stop <= offset) return -1;
        unsigned char padding = b[stop - 1];
        if (padding == 0) return -1;
        stop -= padding;
    }
    if (offset > stop) return -1;
    *start = offset;
    *end = stop;
    return 0;
}

/* One run of consecutive packets as (gap, payload, marker); consumes the items' references. */
static int emit_run(RtpRuns *self, Item *run, Py_ssize_t count, int marker, PyObject *result) {
    int first = run[0].seq;
    int gap = self->expected >= 0 && first != self->expected;
    if (gap) self->gaps += 1;
    self->expected = ((long long)first + count) & 0xFFFF;
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < count; i++) size += run[i].end - run[i].start;
    PyObject *data = PyBytes_FromStringAndSize(NULL, size);
    if (data != NULL) {
        char *at = PyBytes_AS_STRING(data);
        for (Py_ssize_t i = 0; i < count; i++) {
            Py_ssize_t length = run[i].end - run[i].start;
            memcpy(at, PyBytes_AS_STRING(run[i].packet) + run[i].start, length);
            at += length;
        }
    }
    for (Py_ssize_t i = 0; i < count; i++) Py_DECREF(run[i].packet);
    if (data == NULL) return -1;
    PyObject *tuple = Py_BuildValue("(ONO)", gap ? Py_True : Py_False, data, marker ? Py_True : Py_False);
    if (tuple == NULL) return -1;
    int rc = PyList_Append(result, tuple);
    Py_DECREF(tuple);
    return rc;
}

/* Split packets in order into runs as PsRtpDepacketizer._demux does; empties `ordered`. */
static PyObject *build_runs(RtpRuns *self, Items *ordered) {
    PyObject *result = PyList_New(0);
    Py_ssize_t begin = 0, i = 0;
    int failed = result == NULL;
    for (i = 0; i < ordered->len && !failed; i++) {
        Item *it = &ordered->items[i];
        Py_ssize_t length = i - begin;
        if (length && it->seq != ((ordered->items[begin].seq + length) & 0xFFFF)) {
            failed = emit_run(self, ordered->items + begin, length, 0, result) < 0;
            begin = i;
            if (failed) break;
        }
        if (it->marker) {
            failed = emit_run(self, ordered->items + begin, i + 1 - begin, 1, result) < 0;
            begin = i + 1;
        }
    }
    if (!failed && begin < ordered->len) {
        failed = emit_run(self, ordered->items + begin, ordered->len - begin, 0, result) < 0;
        begin = ordered->len;
    }
    for (Py_ssize_t k = begin; k < ordered->len; k++) Py_DECREF(ordered->items[k].packet);
    ordered->len = 0;
    if (failed) {
        Py_XDECREF(result);
        return NULL;
    }
    return result;
}

static PyObject *RtpRuns_push_batch(RtpRuns *self, PyObject *args) {
    PyObject *packets;
    double now;
    if (!PyArg_ParseTuple(args, "Od:push_batch", &packets, &now)) return NULL;
    PyObject *seq = PySequence_Fast(packets, "push_batch takes a sequence of packets");
    if (seq == NULL) return NULL;
    Items *ordered = &self->scratch;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **objs = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *packet = objs[i];
        if (PyBytes_CheckExact(packet)) {
            Py_INCREF(packet);
        } else {
            packet = PyBytes_FromObject(packet);
            if (packet == NULL) goto error;
        }
        const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(packet);
        Py_ssize_t len = PyBytes_GET_SIZE(packet), start, end;
        if (parse_header(b, len, &start, &end) < 0) {
            self->malformed += 1;
            Py_DECREF(packet);
            continue;
        }
        long long ssrc = ((unsigned long)b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11];
        if (ssrc != self->ssrc) {
            if (self->ssrc >= 0) {
                self->foreign += 1;
                Py_DECREF(packet);
                continue;
            }
            self->ssrc = ssrc;
        }
        self->packets += 1;
        self->bytes += len;
        int sequence = (b[2] << 8) | b[3];
        unsigned long ts = ((unsigned long)b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7];
        Item it = {packet, start, end, sequence, b[1] >= 0x80};
        if (rr_push(self, sequence, ts, it, now, ordered) < 0) goto error;
    }
    Py_DECREF(seq);
    return build_runs(self, ordered);
error:
    Py_DECREF(seq);
    items_clear(ordered);
    return NULL;
}

static PyObject *RtpRuns_flush(RtpRuns *self, PyObject *Py_UNUSED(ignored)) {
    Items *ordered = &self->scratch;
    if (rr_drain(self, ordered) < 0) {
        items_clear(ordered);
        return NULL;
    }
    return build_runs(self, ordered);
}

static int RtpRuns_init(RtpRuns *self, PyObject *args, PyObject *kwds) {
    static char *keywords[] = {"depth", "max_delay", "clock_rate", NULL};
    int depth = 64, clock_rate = 90000;
    double max_delay = 0.2;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|$idi:RtpRuns", keywords, &depth, &max_delay,
                                     &clock_rate))
        return -1;
    if (depth < 1 || max_delay < 0 || clock_rate <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        "reorder buffer needs depth >= 1, max_delay >= 0 and a positive clock");
        return -1;
    }
    if (self->pending != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "RtpRuns is initialised once");
        return -1;
    }
    self->pending = PyMem_Calloc((size_t)depth + 1, sizeof(Held));
    if (self->pending == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->depth = depth;
    self->max_delay = max_delay;
    self->clock_rate = clock_rate;
    self->held = 0;
    self->next = self->highest = self->bad_seq = -1;
    self->ssrc = self->expected = -1;
    return 0;
}

static void RtpRuns_dealloc(RtpRuns *self) {
    for (int i = 0; i < self->held; i++) Py_DECREF(self->pending[i].item.packet);
    PyMem_Free(self->pending);
    items_clear(&self->scratch);
    PyMem_Free(self->scratch.items);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *RtpRuns_get_ssrc(RtpRuns *self, void *Py_UNUSED(closure)) {
    if (self->ssrc < 0) Py_RETURN_NONE;
    return PyLong_FromLongLong(self->ssrc);
}

static PyObject *RtpRuns_get_held(RtpRuns *self, void *Py_UNUSED(closure)) {
    return PyLong_FromLong(self->held);
}

static PyGetSetDef RtpRuns_getset[] = {
    {"ssrc", (getter)RtpRuns_get_ssrc, NULL, "The SSRC locked onto, or None.", NULL},
    {"held", (getter)RtpRuns_get_held, NULL, "Packets waiting in the reorder buffer.", NULL},
    {NULL},
};

#define COUNTER(name) {#name, T_LONGLONG, offsetof(RtpRuns, name), READONLY, NULL}
static PyMemberDef RtpRuns_members[] = {
    COUNTER(packets), COUNTER(bytes), COUNTER(malformed), COUNTER(foreign), COUNTER(gaps),
    COUNTER(received), COUNTER(lost), COUNTER(duplicates), COUNTER(reordered), COUNTER(late),
    COUNTER(restarts),
    {"jitter", T_DOUBLE, offsetof(RtpRuns, jitter), READONLY, "RFC 3550 jitter, timestamp units."},
    {NULL},
};

static PyMethodDef RtpRuns_methods[] = {
    {"push_batch", (PyCFunction)RtpRuns_push_batch, METH_VARARGS,
     "push_batch(packets, now) -> [(gap, payload, marker)]: RTP packets that arrived together."},
    {"flush", (PyCFunction)RtpRuns_flush, METH_NOARGS,
     "flush() -> [(gap, payload, marker)]: release everything held (end of stream)."},
    {NULL},
};

static PyTypeObject RtpRunsType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "vigil.media._accel.RtpRuns",
    .tp_basicsize = sizeof(RtpRuns),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "One stream's RTP packets to runs of PS payload: parse, SSRC lock, reorder, join.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)RtpRuns_init,
    .tp_dealloc = (destructor)RtpRuns_dealloc,
    .tp_methods = RtpRuns_methods,
    .tp_members = RtpRuns_members,
    .tp_getset = RtpRuns_getset,
};

/* The first "00 00 01" starting at or after `from`, or -1 (leftmost, like re.finditer). */
static Py_ssize_t find_start_code(const unsigned char *b, Py_ssize_t n, Py_ssize_t from) {
    Py_ssize_t p = from + 2;
    while (p < n) {
        const unsigned char *one = memchr(b + p, 1, (size_t)(n - p));
        if (one == NULL) return -1;
        Py_ssize_t j = one - b;
        if (b[j - 1] == 0 && b[j - 2] == 0) return j - 2;
        p = j + 1;
    }
    return -1;
}

typedef struct {
    Py_ssize_t *at; /* pairs: begin, end */
    Py_ssize_t len, cap;
} Ranges;

static int ranges_push(Ranges *r, Py_ssize_t begin, Py_ssize_t end) {
    if (r->len + 2 > r->cap) {
        Py_ssize_t cap = r->cap ? r->cap * 2 : 32;
        Py_ssize_t *grown = PyMem_Realloc(r->at, cap * sizeof(Py_ssize_t));
        if (grown == NULL) return -1;
        r->at = grown;
        r->cap = cap;
    }
    r->at[r->len++] = begin;
    r->at[r->len++] = end;
    return 0;
}

/* The NAL units of an Annex B frame as ranges, and the size of their length-prefixed form. */
static int nal_ranges(const unsigned char *b, Py_ssize_t n, Ranges *ranges, Py_ssize_t *size) {
    Py_ssize_t begin = -1;
    *size = 0;
    for (Py_ssize_t m = find_start_code(b, n, 0); m >= 0; m = find_start_code(b, n, m + 3)) {
        if (begin >= 0) {
            Py_ssize_t end = m;
            if (b[end - 1] == 0) end -= 1; /* the 4-byte start code's leading zero */
            if (end > begin) {
                if (ranges_push(ranges, begin, end) < 0) return -1;
                *size += 4 + end - begin;
            }
        }
        begin = m + 3;
    }
    if (begin >= 0 && begin < n) {
        if (ranges_push(ranges, begin, n) < 0) return -1;
        *size += 4 + n - begin;
    }
    return 0;
}

static unsigned char *put32(unsigned char *out, unsigned long value) {
    out[0] = (unsigned char)(value >> 24);
    out[1] = (unsigned char)(value >> 16);
    out[2] = (unsigned char)(value >> 8);
    out[3] = (unsigned char)value;
    return out + 4;
}

static unsigned char *put_avcc(unsigned char *out, const unsigned char *b, const Ranges *ranges) {
    for (Py_ssize_t i = 0; i < ranges->len; i += 2) {
        Py_ssize_t length = ranges->at[i + 1] - ranges->at[i];
        out = put32(out, (unsigned long)length);
        memcpy(out, b + ranges->at[i], (size_t)length);
        out += length;
    }
    return out;
}

static PyObject *annexb_to_avcc(PyObject *Py_UNUSED(module), PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    Ranges ranges = {NULL, 0, 0};
    Py_ssize_t size;
    PyObject *result = NULL;
    if (nal_ranges(view.buf, view.len, &ranges, &size) < 0) {
        PyErr_NoMemory();
    } else if ((result = PyBytes_FromStringAndSize(NULL, size)) != NULL) {
        put_avcc((unsigned char *)PyBytes_AS_STRING(result), view.buf, &ranges);
    }
    PyMem_Free(ranges.at);
    PyBuffer_Release(&view);
    return result;
}

/* ISO/IEC 14496-12 boxes of a one-sample fragment, as vigil.media.mp4_fragments.fragment. */
#define MOOF_FIXED 88
#define TRUN_FLAGS 0x000701 /* data offset, duration, size, flags */
#define TRUN_CTS 0x000800
#define SYNC_SAMPLE 0x02000000UL
#define NON_SYNC_SAMPLE 0x01010000UL

static PyObject *avcc_fragment(PyObject *Py_UNUSED(module), PyObject *args) {
    unsigned long sequence, duration;
    unsigned long long base_dts;
    int keyframe, cts_offset;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "kKkpiy*:avcc_fragment", &sequence, &base_dts, &duration,
                          &keyframe, &cts_offset, &view))
        return NULL;
    Ranges ranges = {NULL, 0, 0};
    Py_ssize_t size;
    PyObject *result = NULL;
    if (nal_ranges(view.buf, view.len, &ranges, &size) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t table = cts_offset ? 16 : 12, moof = MOOF_FIXED + table;
    result = PyBytes_FromStringAndSize(NULL, moof + 8 + size);
    if (result == NULL) goto done;
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    unsigned long traf = (unsigned long)moof - 24, trun = traf - 44;
    out = put32(out, (unsigned long)moof);
    memcpy(out, "moof", 4), out += 4;
    out = put32(out, 16);
    memcpy(out, "mfhd", 4), out += 4;
    out = put32(out, 0);
    out = put32(out, sequence);
    out = put32(out, traf);
    memcpy(out, "traf", 4), out += 4;
    out = put32(out, 16);
    memcpy(out, "tfhd", 4), out += 4;
    out = put32(out, 0x020000); /* default-base-is-moof */
    out = put32(out, 1);        /* track */
    out = put32(out, 20);
    memcpy(out, "tfdt", 4), out += 4;
    out = put32(out, 1UL << 24); /* version 1: 64-bit decode time */
    out = put32(out, (unsigned long)(base_dts >> 32));
    out = put32(out, (unsigned long)(base_dts & 0xFFFFFFFFULL));
    out = put32(out, trun);
    memcpy(out, "trun", 4), out += 4;
    out = put32(out, cts_offset ? TRUN_FLAGS | TRUN_CTS : TRUN_FLAGS);
    out = put32(out, 1);
    out = put32(out, (unsigned long)moof + 8);
    out = put32(out, duration);
    out = put32(out, (unsigned long)size);
    out = put32(out, keyframe ? SYNC_SAMPLE : NON_SYNC_SAMPLE);
    if (cts_offset) out = put32(out, (unsigned long)(unsigned int)cts_offset);
    out = put32(out, (unsigned long)(8 + size));
    memcpy(out, "mdat", 4), out += 4;
    put_avcc(out, view.buf, &ranges);
done:
    PyMem_Free(ranges.at);
    PyBuffer_Release(&view);
    return result;
}

/* ---- one whole PS frame, the common case of vigil.protocols.ps.demux.PsDemuxer ----
 *
 * A GB camera sends each frame as one pack: pack header, on keyframes a system header and a PSM,
 * then PES packets of known length, and sets the RTP marker on its last packet. For such a run
 * the demuxer, starting idle, emits at end_of_frame one access unit per stream id, in order of
 * first appearance, its data the PES payloads joined. ps_frame checks that the run is exactly
 * that (every case the demuxer treats in any other way -- junk, a cut, a length-0 PES, a second
 * PTS for a stream, an MPEG-1 PES header -- returns None, and the caller hands the run to the
 * Python demuxer) and returns the units and the PSMs it carried. */

#define PS_MAX_STREAMS 16
#define PS_MAX_PIECES 256

typedef struct {
    int stream_id;
    long long pts, dts; /* -1: absent */
    Py_ssize_t size;
} PsUnit;

typedef struct {
    int unit;
    Py_ssize_t at, length;
} PsPiece;

static long long ps_timestamp(const unsigned char *b) {
    return ((long long)((b[0] >> 1) & 7) << 30) | ((long long)b[1] << 22) |
           ((long long)(b[2] >> 1) << 15) | ((long long)b[3] << 7) | (b[4] >> 1);
}

static PyObject *optional_ts(long long ts) {
    if (ts < 0) Py_RETURN_NONE;
    return PyLong_FromLongLong(ts);
}

static PyObject *ps_frame(PyObject *Py_UNUSED(module), PyObject *args) {
    Py_buffer view;
    int need_pack;
    Py_ssize_t max_frame;
    if (!PyArg_ParseTuple(args, "y*pn:ps_frame", &view, &need_pack, &max_frame)) return NULL;
    const unsigned char *b = view.buf;
    Py_ssize_t n = view.len, at = 0;
    PsUnit units[PS_MAX_STREAMS];
    PsPiece pieces[PS_MAX_PIECES];
    Py_ssize_t psm_at[PS_MAX_PIECES], psm_end[PS_MAX_PIECES];
    int count = 0, npieces = 0, npsm = 0, ok = n > 0;
    while (ok && at < n) {
        if (n - at < 4 || b[at] || b[at + 1] || b[at + 2] != 1 || b[at + 3] < 0xB9) {
            ok = 0;
            break;
        }
        int code = b[at + 3];
        if (need_pack && code != 0xBA) { ok = 0; break; }
        need_pack = 0;
        if (code == 0xB9) { /* program end */
            at += 4;
        } else if (code == 0xBA) { /* pack header, MPEG-2 or MPEG-1 */
            if (n - at < 5) { ok = 0; break; }
            Py_ssize_t size;
            if (b[at + 4] >> 6 == 1) {
                if (n - at < 14) { ok = 0; break; }
                size = 14 + (b[at + 13] & 7);
            } else if (b[at + 4] >> 4 == 2) {
                size = 12;
            } else { ok = 0; break; }
            if (at + size > n) { ok = 0; break; }
            at += size;
        } else if (code == 0xBC || code < 0xC0 || code > 0xEF) { /* PSM, or skipped by length */
            if (n - at < 6) { ok = 0; break; }
            Py_ssize_t stop = at + 6 + ((b[at + 4] << 8) | b[at + 5]);
            if (stop > n) { ok = 0; break; }
            if (code == 0xBC) {
                if (npsm == PS_MAX_PIECES) { ok = 0; break; }
                psm_at[npsm] = at;
                psm_end[npsm++] = stop;
            }
            at = stop;
        } else { /* audio or video PES */
            if (at + 9 > n || b[at + 6] >> 6 != 2) { ok = 0; break; }
            Py_ssize_t payload = at + 9 + b[at + 8];
            if (payload > n) { ok = 0; break; }
            long long pts = -1, dts = -1;
            int flags = b[at + 7] >> 6;
            if (flags == 2) {
                if (payload < at + 14) { ok = 0; break; }
                pts = ps_timestamp(b + at + 9);
            } else if (flags == 3) {
                if (payload < at + 19) { ok = 0; break; }
                pts = ps_timestamp(b + at + 9);
                dts = ps_timestamp(b + at + 14);
            } else if (flags == 1) { ok = 0; break; }
            Py_ssize_t length = (b[at + 4] << 8) | b[at + 5];
            Py_ssize_t payload_length = at + 6 + length - payload;
            if (!length || payload_length < 0 || payload + payload_length > n) { ok = 0; break; }
            int u = 0;
            while (u < count && units[u].stream_id != code) u++;
            if (u == count) {
                if (count == PS_MAX_STREAMS) { ok = 0; break; }
                units[count++] = (PsUnit){code, pts, dts, 0};
            } else if (pts >= 0 && pts != units[u].pts) {
                if (units[u].size) { ok = 0; break; } /* a new frame inside the run */
                units[u].pts = pts;
                units[u].dts = dts;
            }
            if (units[u].size + payload_length > max_frame) { ok = 0; break; }
            if (payload_length) {
                if (npieces == PS_MAX_PIECES) { ok = 0; break; }
                pieces[npieces++] = (PsPiece){u, payload, payload_length};
                units[u].size += payload_length;
            }
            at = payload + payload_length;
        }
    }
    PyObject *result = NULL, *list = NULL, *psms = NULL;
    if (!ok) {
        PyBuffer_Release(&view);
        Py_RETURN_NONE;
    }
    list = PyList_New(0);
    psms = PyList_New(0);
    if (list == NULL || psms == NULL) goto done;
    for (int u = 0; u < count; u++) {
        if (!units[u].size) continue;
        PyObject *data = PyBytes_FromStringAndSize(NULL, units[u].size);
        if (data == NULL) goto done;
        char *out = PyBytes_AS_STRING(data);
        for (int i = 0; i < npieces; i++) {
            if (pieces[i].unit != u) continue;
            memcpy(out, b + pieces[i].at, (size_t)pieces[i].length);
            out += pieces[i].length;
        }
        PyObject *item = Py_BuildValue("(iNNN)", units[u].stream_id, optional_ts(units[u].pts),
                                       optional_ts(units[u].dts), data);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            goto done;
        }
        Py_DECREF(item);
    }
    for (int i = 0; i < npsm; i++) {
        PyObject *psm = PyBytes_FromStringAndSize((const char *)b + psm_at[i], psm_end[i] - psm_at[i]);
        if (psm == NULL || PyList_Append(psms, psm) < 0) {
            Py_XDECREF(psm);
            goto done;
        }
        Py_DECREF(psm);
    }
    result = PyTuple_Pack(2, list, psms);
done:
    Py_XDECREF(list);
    Py_XDECREF(psms);
    PyBuffer_Release(&view);
    return result;
}

/* vigil.protocols.ps.nal.is_keyframe: the first NAL headers of a frame name an IDR/IRAP picture
 * or leading parameter sets. Only H.264 (0x1B) and H.265 (0x24) frames are keyframes. */
#define NAL_SCAN_LIMIT 4096
#define NAL_MAX_HEADERS 8

static Py_ssize_t find_in(const unsigned char *b, Py_ssize_t from, Py_ssize_t limit) {
    /* bytes.find(b"\x00\x00\x01", from, limit): the code must end by limit */
    for (Py_ssize_t p = from; p + 3 <= limit; p++) {
        const unsigned char *one = memchr(b + p + 2, 1, (size_t)(limit - p - 2));
        if (one == NULL) return -1;
        Py_ssize_t j = one - b;
        if (b[j - 1] == 0 && b[j - 2] == 0 && j - 2 >= from) return j - 2;
        p = j - 2;
    }
    return -1;
}

static PyObject *frame_is_keyframe(PyObject *Py_UNUSED(module), PyObject *args) {
    int stream_type;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "iy*:is_keyframe", &stream_type, &view)) return NULL;
    const unsigned char *b = view.buf;
    Py_ssize_t n = view.len, limit = n < NAL_SCAN_LIMIT ? n : NAL_SCAN_LIMIT;
    int key = 0, h265 = stream_type == 0x24;
    if (stream_type == 0x1B || h265) {
        Py_ssize_t at = find_in(b, 0, limit);
        for (int i = 0; i < NAL_MAX_HEADERS && at >= 0; i++) {
            at += 3;
            if (at + 2 > n) break;
            int first = b[at];
            if (h265) {
                int type = (first >> 1) & 0x3F;
                if ((type >= 16 && type <= 23) || type == 32 || type == 33) { key = 1; break; }
                if (type < 32) break;
            } else {
                int type = first & 0x1F;
                if (type == 5 || type == 7) { key = 1; break; }
                if (type == 1) break;
            }
            at = find_in(b, at, limit);
        }
    }
    PyBuffer_Release(&view);
    return PyBool_FromLong(key);
}

#define RECV_SLOTS 32
#define RECV_SIZE 65536
static unsigned char *recv_buffers; /* RECV_SLOTS × RECV_SIZE, allocated on first use */

static PyObject *recv_datagrams(PyObject *Py_UNUSED(module), PyObject *args) {
    int fd;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "in:recv_datagrams", &fd, &limit)) return NULL;
    if (recv_buffers == NULL) {
        recv_buffers = PyMem_RawMalloc((size_t)RECV_SLOTS * RECV_SIZE);
        if (recv_buffers == NULL) return PyErr_NoMemory();
    }
    struct mmsghdr messages[RECV_SLOTS];
    struct iovec vectors[RECV_SLOTS];
    for (int i = 0; i < RECV_SLOTS; i++) {
        vectors[i].iov_base = recv_buffers + (size_t)i * RECV_SIZE;
        vectors[i].iov_len = RECV_SIZE;
        memset(&messages[i].msg_hdr, 0, sizeof(messages[i].msg_hdr));
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) return NULL;
    while (PyList_GET_SIZE(result) < limit) {
        Py_ssize_t want = limit - PyList_GET_SIZE(result);
        int slots = want < RECV_SLOTS ? (int)want : RECV_SLOTS;
        int got = recvmmsg(fd, messages, (unsigned int)slots, MSG_DONTWAIT, NULL);
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK || PyList_GET_SIZE(result)) break;
            Py_DECREF(result);
            return PyErr_SetFromErrno(PyExc_OSError);
        }
        for (int i = 0; i < got; i++) {
            PyObject *packet = PyBytes_FromStringAndSize((const char *)vectors[i].iov_base,
                                                         (Py_ssize_t)messages[i].msg_len);
            if (packet == NULL || PyList_Append(result, packet) < 0) {
                Py_XDECREF(packet);
                Py_DECREF(result);
                return NULL;
            }
            Py_DECREF(packet);
        }
        if (got < slots) break; /* the socket was drained */
    }
    return result;
}

static PyMethodDef module_methods[] = {
    {"annexb_to_avcc", annexb_to_avcc, METH_O,
     "annexb_to_avcc(data) -> bytes: Annex B to 4-byte length-prefixed NAL units."},
    {"avcc_fragment", avcc_fragment, METH_VARARGS,
     "avcc_fragment(sequence, base_dts, duration, keyframe, cts_offset, frame) -> bytes: "
     "moof + mdat holding one Annex B frame as an MP4 sample."},
    {"ps_frame", ps_frame, METH_VARARGS,
     "ps_frame(run, need_pack, max_frame) -> ([(stream_id, pts, dts, data)], [psm]) or None: "
     "the access units of a run that is exactly one well-formed PS frame."},
    {"is_keyframe", frame_is_keyframe, METH_VARARGS,
     "is_keyframe(stream_type, frame) -> bool: as vigil.protocols.ps.nal.is_keyframe."},
    {"recv_datagrams", recv_datagrams, METH_VARARGS,
     "recv_datagrams(fd, limit) -> [bytes]: the datagrams waiting on a non-blocking socket."},
    {NULL},
};

static struct PyModuleDef accel_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "vigil.media._accel",
    .m_doc = "Compiled per-packet path of the media plane (see vigil.media.accel).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__accel(void) {
    if (PyType_Ready(&RtpRunsType) < 0) return NULL;
    PyObject *module = PyModule_Create(&accel_module);
    if (module == NULL) return NULL;
    Py_INCREF(&RtpRunsType);
    if (PyModule_AddObject(module, "RtpRuns", (PyObject *)&RtpRunsType) < 0) {
        Py_DECREF(&RtpRunsType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

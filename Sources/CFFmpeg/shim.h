#ifndef UPSCALE_CFFMPEG_SHIM_H
#define UPSCALE_CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/opt.h>
#include <libavutil/error.h>
#include <libavutil/display.h>
#include <libavutil/mastering_display_metadata.h>

/* C macros Swift cannot import, as functions. */
static inline int upscale_averror(int e) { return AVERROR(e); }
static inline int upscale_averror_eof(void) { return AVERROR_EOF; }
static inline int upscale_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int upscale_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t upscale_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational upscale_av_time_base_q(void) { return AV_TIME_BASE_Q; }
static inline const char *upscale_av_err2str(int e, char *buf, size_t size) {
    av_strerror(e, buf, size);
    return buf;
}
static inline int upscale_pix_fmt_has_alpha(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d && (d->flags & AV_PIX_FMT_FLAG_ALPHA) ? 1 : 0;
}
static inline int upscale_pix_fmt_is_gray(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d && !(d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) && d->nb_components <= 2 ? 1 : 0;
}
static inline int upscale_pix_fmt_depth(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d ? d->comp[0].depth : 0;
}
static inline int upscale_codec_flag_qscale(void) { return AV_CODEC_FLAG_QSCALE; }
static inline int upscale_qp2lambda(void) { return FF_QP2LAMBDA; }
static inline int upscale_pkt_flag_corrupt(void) { return AV_PKT_FLAG_CORRUPT; }
static inline int upscale_frame_flag_corrupt(void) { return AV_FRAME_FLAG_CORRUPT; }
static inline int upscale_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }
static inline int upscale_fmt_globalheader(void) { return AVFMT_GLOBALHEADER; }
static inline int upscale_fmt_nofile(void) { return AVFMT_NOFILE; }
static inline int upscale_pix_fmt_log2_chroma_w(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d ? d->log2_chroma_w : 0;
}
static inline int upscale_pix_fmt_log2_chroma_h(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d ? d->log2_chroma_h : 0;
}
static inline int upscale_pix_fmt_is_rgb(enum AVPixelFormat f) {
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f);
    return d && (d->flags & AV_PIX_FMT_FLAG_RGB) ? 1 : 0;
}

/* Copies the chapters (with their tags) of `in` to `out`; returns 0 or an AVERROR. */
static inline int upscale_copy_chapters(const AVFormatContext *in, AVFormatContext *out) {
    for (unsigned i = 0; i < in->nb_chapters; i++) {
        const AVChapter *ic = in->chapters[i];
        AVChapter *oc = av_mallocz(sizeof(AVChapter));
        if (!oc) return AVERROR(ENOMEM);
        oc->id = ic->id; oc->time_base = ic->time_base; oc->start = ic->start; oc->end = ic->end;
        av_dict_copy(&oc->metadata, ic->metadata, 0);
        if (av_dynarray_add_nofree(&out->chapters, (int *)&out->nb_chapters, oc) < 0) {
            av_dict_free(&oc->metadata); av_free(oc); return AVERROR(ENOMEM);
        }
    }
    return 0;
}

/* Copies every stream-level side datum (display matrix, HDR, ...) of `in` to `out`. */
static inline int upscale_copy_stream_side_data(const AVStream *in, AVStream *out) {
    for (int i = 0; i < in->nb_side_data; i++) {
        const AVPacketSideData *sd = &in->side_data[i];
        uint8_t *dst = av_stream_new_side_data(out, sd->type, sd->size);
        if (!dst) return AVERROR(ENOMEM);
        memcpy(dst, sd->data, sd->size);
    }
    return 0;
}

/* Adds the HDR side data a decoded frame carries (mastering display, content light) to a
   stream that lacks it, so that the container says what the bitstream said. */
static inline void upscale_hdr_frame_to_stream(const AVFrame *f, AVStream *st) {
    const AVFrameSideData *m = av_frame_get_side_data(f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
    if (m && !av_stream_get_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, NULL)) {
        uint8_t *dst = av_stream_new_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, m->size);
        if (dst) memcpy(dst, m->data, m->size);
    }
    const AVFrameSideData *c = av_frame_get_side_data(f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
    if (c && !av_stream_get_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, NULL)) {
        uint8_t *dst = av_stream_new_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, c->size);
        if (dst) memcpy(dst, c->data, c->size);
    }
}

/* Writes x265's HDR10 parameters for the mastering display / content light of `st` (or of
   frame `f`) into `buf`; returns 0 when there is nothing to write. */
static inline int upscale_x265_hdr_params(const AVStream *st, const AVFrame *f, char *buf, size_t size) {
    const AVMasteringDisplayMetadata *m = (const AVMasteringDisplayMetadata *)av_stream_get_side_data(st, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, NULL);
    const AVContentLightMetadata *c = (const AVContentLightMetadata *)av_stream_get_side_data(st, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, NULL);
    if (f) {
        const AVFrameSideData *fm = av_frame_get_side_data(f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
        const AVFrameSideData *fc = av_frame_get_side_data(f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
        if (!m && fm) m = (const AVMasteringDisplayMetadata *)fm->data;
        if (!c && fc) c = (const AVContentLightMetadata *)fc->data;
    }
    int n = 0;
    buf[0] = 0;
    if (m && m->has_primaries && m->has_luminance) {
        /* x265 order: G, B, R in units of 0.00002; luminance in 0.0001 cd/m2. */
        #define UPSCALE_Q(r, d) ((long)(av_q2d(r) * (d) + 0.5))
        n += snprintf(buf + n, size - n, "hdr10=1:master-display=G(%ld,%ld)B(%ld,%ld)R(%ld,%ld)WP(%ld,%ld)L(%ld,%ld)",
            UPSCALE_Q(m->display_primaries[1][0], 50000), UPSCALE_Q(m->display_primaries[1][1], 50000),
            UPSCALE_Q(m->display_primaries[2][0], 50000), UPSCALE_Q(m->display_primaries[2][1], 50000),
            UPSCALE_Q(m->display_primaries[0][0], 50000), UPSCALE_Q(m->display_primaries[0][1], 50000),
            UPSCALE_Q(m->white_point[0], 50000), UPSCALE_Q(m->white_point[1], 50000),
            UPSCALE_Q(m->max_luminance, 10000), UPSCALE_Q(m->min_luminance, 10000));
        #undef UPSCALE_Q
    }
    if (c && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "%smax-cll=%u,%u", n ? ":" : "hdr10=1:", c->MaxCLL, c->MaxFALL);
    }
    return n;
}

/* The display rotation of a stream in degrees (counter-clockwise, as ffprobe prints), or 0. */
static inline double upscale_stream_rotation(const AVStream *st) {
    const int32_t *m = (const int32_t *)av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, NULL);
    if (!m) return 0;
    double r = av_display_rotation_get(m);
    return r != r ? 0 : r; /* NaN -> 0 */
}

/* True when a stream carries side data of `type`. */
static inline int upscale_stream_has_side_data(const AVStream *st, enum AVPacketSideDataType type) {
    return av_stream_get_side_data(st, type, NULL) != NULL;
}
/* A black frame the size and format of encoder `c` (NULL when out of memory). */
static inline AVFrame *upscale_black_frame(const AVCodecContext *c) {
    AVFrame *f = av_frame_alloc();
    if (!f) return NULL;
    f->width = c->width; f->height = c->height; f->format = c->pix_fmt; f->pts = 0;
    if (av_frame_get_buffer(f, 0) < 0) { av_frame_free(&f); return NULL; }
    ptrdiff_t ls[4] = { f->linesize[0], f->linesize[1], f->linesize[2], f->linesize[3] };
    av_image_fill_black(f->data, ls, c->pix_fmt, c->color_range, c->width, c->height);
    return f;
}

#endif

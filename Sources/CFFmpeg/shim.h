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
#endif

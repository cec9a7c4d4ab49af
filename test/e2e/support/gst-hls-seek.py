#!/usr/bin/python3
"""GStreamer's HLS seek path: playbin3 (hlsdemux2, the adaptivedemux2 HLS demuxer of GStreamer 1.22, needs the
streams-aware playbin3; the older playbin cannot bring it to READY) plays the URL in real time, then for each
fraction seeks (FLUSH | ACCURATE) while playing and reports where playback landed once the seek completed
(ASYNC_DONE) and how far it advanced after. One JSON object on stdout (gst_seek_tool.py). hlsdemux2 is set up
as gst_hls.py says.

usage: gst-hls-seek.py URL [FRACTION ...]   (needs python3-gi and gir1.2-gstreamer-1.0 from Debian)
"""
import sys
import time

sys.dont_write_bytecode = True  # import the shared module without leaving __pycache__ in the source tree
from gst_hls import set_up_hls  # noqa: E402
from gst_seek_tool import TIMEOUT, Gst, position, raise_on_error, run  # noqa: E402

# Guards, not measurements: turn a stall into a report instead of a hang.
START_GUARD_S = 20
ADVANCE_GUARD_S = 5


def wait_for(pipeline, kind):
    """Waits for a bus message of `kind`; raises the pipeline's error, or on the guard."""
    message = pipeline.get_bus().timed_pop_filtered(TIMEOUT, kind | Gst.MessageType.ERROR)
    if message is None:
        raise RuntimeError(f"no {kind.first_value_nick} message")
    raise_on_error(message)


def until_position(pipeline, done, guard_s):
    """Polls the playing pipeline's position until `done(position)` or the guard; the last position seen."""
    deadline = time.monotonic() + guard_s
    while time.monotonic() < deadline:
        now = position(pipeline)
        if now is not None and done(now):
            return now
        time.sleep(0.02)
    return position(pipeline)


def start(pipeline, result):
    set_up_hls(pipeline)
    pipeline.set_state(Gst.State.PLAYING)
    wait_for(pipeline, Gst.MessageType.ASYNC_DONE)
    result["started"] = until_position(pipeline, lambda now: now > 0.3, START_GUARD_S)


def seek_and_play(pipeline):
    """Seeks while playing: a quarter of a second of playback after the landing counts as playing on."""
    wait_for(pipeline, Gst.MessageType.ASYNC_DONE)
    landed = position(pipeline)
    advanced = until_position(pipeline, lambda now: landed is not None and now >= landed + 0.25, ADVANCE_GUARD_S)
    return landed, advanced


run("playbin3", start, seek_and_play)

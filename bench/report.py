"""The bench results as one Markdown table, each figure beside its target."""

from __future__ import annotations

import re

from .executors import rows as executor_rows

SPEED_TARGETS = {"pyttsx3": 100, "piper": 10}  # × real time


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{round(seconds % 60):02d}"


def against(target: str, met: bool) -> str:
    return f"{target} {'✓' if met else '✗'}"


def segmentation_cell(result: dict, measure: str) -> str:
    tiling = result["texttiling"]
    note = ", one segment: too short to tile" if tiling["one_segment_fallback"] else ""
    return (f"{result[measure]:.2f} (even split {result['even_split'][measure]:.2f}, "
            f"TextTiling {tiling[measure]:.2f}{note})")


def audio2text_rows(result: dict) -> list[tuple[str, str, str, str]]:
    name = f"audio2text {result['model']}"
    if "error" in result:
        return [(name, result["episode"], f"failed: {result['error']}", "")]
    sample = f"{result['episode']} ({clock(result['audio_s'])})"
    whole, bare, rouge = result["whole"]["median_wall_s"], result["bare"]["median_wall_s"], result["key_points_rouge"]
    return [
        (f"{name}: speed", sample, f"{result['real_time_factor']:.1f}× real time ({whole:.1f} s)", ""),
        (f"{name}: whole command ÷ bare faster-whisper", sample,
         f"{result['whole_over_bare']:.2f} ({whole:.1f} s ÷ {bare:.1f} s)",
         against("≤ 1.10", result["whole_over_bare"] <= 1.10)),
        (f"{name}: peak memory", sample, f"{result['whole']['peak_rss_mib']} MiB", ""),
        (f"{name}: sections found", sample, f"{result['sections_found']} (gold {result['sections_gold']})", ""),
        (f"{name}: Pk", sample, segmentation_cell(result, "pk"), against("≤ 0.25", result["pk"] <= 0.25)),
        (f"{name}: WindowDiff", sample, segmentation_cell(result, "windowdiff"), ""),
        (f"{name}: key points ROUGE-1 / 2 / L F1", sample,
         f"{rouge['rouge1']:.2f} / {rouge['rouge2']:.2f} / {rouge['rougeL']:.2f}", ""),
        (f"{name}: word error rate vs gold script", sample, f"{result['wer']:.1%}", ""),
    ]


def text2audio_rows(result: dict) -> list[tuple[str, str, str, str]]:
    name = f"text2audio {result['engine']}"
    if "error" in result:
        return [(name, result["roundup"], f"failed: {result['error']}", "")]
    sample = f"{result['roundup']} ({clock(result['audio_s'])})"
    speed_target = SPEED_TARGETS[result["engine"]]
    whole, bare = result["whole"]["median_wall_s"], result["bare"]["median_wall_s"]
    return [
        (f"{name}: speed", sample, f"{result['real_time_factor']:.0f}× real time ({whole:.1f} s)",
         against(f"≥ {speed_target}×", result["real_time_factor"] >= speed_target)),
        (f"{name}: bare engine ÷ whole command", sample,
         f"{result['bare_over_whole']:.2f} ({bare:.1f} s ÷ {whole:.1f} s)",
         against("≥ 0.70", result["bare_over_whole"] >= 0.70)),
        (f"{name}: loudness", sample, f"{result['loudness_lufs']:.1f} LUFS",
         against("-16 ± 1 LUFS", abs(result["loudness_lufs"] + 16) <= 1)),
        (f"{name}: true peak", sample, f"{result['true_peak_dbtp']:.1f} dBTP",
         against("≤ -1 dBTP", result["true_peak_dbtp"] <= -1)),
    ] + ([(f"{name}: gold stories found", sample,
           f"{result['stories_found']} of {result['stories_gold']} ({result['stories_in_script']} in the script)", "")]
         if "stories_gold" in result else [])


def round_trip_rows(result: dict) -> list[tuple[str, str, str, str]]:
    name = f"round trip text2audio {result['engine']} → audio2text {result['model']}"
    if "error" in result:
        return [(name, result["roundup"], f"failed: {result['error']}", "")]
    off_by = abs(result["recovered_stories"] - result["script_stories"])
    return [
        (f"{name}: stories", result["roundup"],
         f"{result['recovered_stories']} recovered of {result['script_stories']}", against("within 1", off_by <= 1)),
        (f"{name}: word error rate vs script", result["roundup"], f"{result['wer']:.1%}",
         against("≤ 10%", result["wer"] <= 0.10)),
    ]


def scale_rows(result: dict) -> list[tuple[str, str, str, str]]:
    name = f"audio2text {result['model']}: one long episode"
    if "error" in result:
        return [(name, "samples repeated", f"failed: {result['error']}", "")]
    return [(name, f"samples repeated ({clock(result['audio_s'])})",
             f"{result['real_time_factor']:.1f}× real time ({result['wall_s']:.0f} s), "
             f"peak {result['peak_rss_mib']} MiB", "")]


def transcript_input_rows(result: dict) -> list[tuple[str, str, str, str]]:
    name = "audio2text: a transcript as input, every format"
    if "error" in result:
        return [(name, "samples' scripts repeated", f"failed: {result['error']}", "")]
    return [(name, f"samples' scripts repeated, SRT ({clock(result['transcript_s'])})",
             f"{result['median_wall_s']:.1f} s", against(f"< {result['target_s']:.0f} s",
                                                         result["median_wall_s"] < result["target_s"]))]


def markdown(results: dict) -> str:
    machine = results["machine"]
    runs = results["runs"]
    rows = [row for r in results["audio2text"] for row in audio2text_rows(r)]
    rows += [row for r in results["text2audio"] for row in text2audio_rows(r)]
    rows += round_trip_rows(results["round_trip"])
    if "scale" in results:
        rows += scale_rows(results["scale"])
    if "executors" in results:
        rows += executor_rows(results["executors"])
    if "transcript_input" in results:
        rows += transcript_input_rows(results["transcript_input"])
    lines = [
        f"Measured {results['date']} on {machine['cores']} cores ({machine['cpu']}), Python {machine['python']}; "
        f"{'median of ' + str(runs) + ' runs' if runs > 1 else 'one run'} of each command, wall clock, "
        f"whole commands as subprocesses. One-minute load average {results['load_before']} when the bench "
        f"started and {results['load_after']} when it ended, of which the bench itself accounts for up to "
        f"{machine['cores']}: other work on the machine slows the timings, so read them as indicative. "
        "Pk and WindowDiff: 0 is a perfect match with the gold sections; the even split is given the gold "
        "section count.",
        "",
        "| measurement | sample | result | target |",
        "|---|---|---|---|",
        *(f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def replace_block(readme: str, name: str, table: str) -> str:
    """The README with the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` replaced."""
    block = re.compile(rf"(<!-- {re.escape(name)}:start -->\n?).*?(<!-- {re.escape(name)}:end -->)", re.S)
    if not block.search(readme):
        raise ValueError(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return block.sub(lambda m: f"{m[1].rstrip()}\n{table}{m[2]}", readme, count=1)

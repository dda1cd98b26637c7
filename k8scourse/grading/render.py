"""Results as a learner reads them: an HTML table in the notebook, plain text, and Markdown feedback files.

Called by `ExerciseResult` (`_repr_html_`, `__str__`) and by class grading for the per-student feedback.
Learners see messages and hints; debug details appear only where `debug=True` (instructors' copies).
"""

from __future__ import annotations

from html import escape

from .model import CheckResult, ExerciseResult

_STATUS_TEXT = {
    "timeout": "The notebook did not finish in time; it was graded on the cluster as it was when it was stopped.",
    "crashed": "The notebook's kernel died before it finished, so the cluster could not be graded.",
    "error": "The grader could not grade this notebook; your instructor has the details.",
    "tampered": "The notebook replaced parts of k8scourse that grading relies on, so its cluster could not "
                "be trusted and was not graded.",
}


def _points(value: float) -> str:
    return f"{value:g}"


def _mark(result: CheckResult) -> str:
    if result.passed:
        return "✔"
    return "◐" if result.score > 0 else "✘"


def status_lines(result: ExerciseResult) -> list[str]:
    """Sentences about how the grading went (time-outs, notes), before the table of checks."""
    lines = [_STATUS_TEXT[result.status]] if result.status in _STATUS_TEXT else []
    lines += list(result.notes)
    if result.hidden_not_run:
        lines.append(f"{result.hidden_not_run} more check(s) are run when your instructor grades the exercise.")
    return lines


def result_html(result: ExerciseResult, *, debug: bool = False) -> str:
    head = (f"<p><b>{escape(result.title)}</b> ({escape(result.exercise)}): "
            f"<b>{_points(result.score)} / {_points(result.max_points)}</b> points</p>")
    notes = "".join(f"<p><i>{escape(line)}</i></p>" for line in status_lines(result))
    rows = []
    for check in result.checks:
        detail = escape(check.message)
        if not check.passed and check.hint:
            detail += f"<br><small>Hint: {escape(check.hint)}</small>"
        if debug and check.debug:
            detail += f"<br><pre>{escape(check.debug)}</pre>"
        colour = "#1a7f37" if check.passed else ("#9a6700" if check.score else "#cf222e")
        label = escape(check.description) + (" <small>(hidden)</small>" if check.hidden else "")
        rows.append(f'<tr><td style="color:{colour};text-align:center">{_mark(check)}</td>'
                    f'<td style="text-align:left">{label}</td>'
                    f"<td>{_points(check.score)}/{_points(check.points)}</td>"
                    f'<td style="text-align:left">{detail}</td></tr>')
    table = ('<table class="k8scourse-result"><thead><tr><th></th><th>check</th><th>points</th><th>result</th>'
             f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return f'<div class="k8scourse-grade">{head}{notes}{table}</div>'


def result_text(result: ExerciseResult, *, debug: bool = False) -> str:
    lines = [f"{result.title} ({result.exercise}): {_points(result.score)} / {_points(result.max_points)} points"]
    lines += status_lines(result)
    for check in result.checks:
        lines.append(f"  {_mark(check)} {check.description} [{_points(check.score)}/{_points(check.points)}]: "
                     f"{check.message}")
        if not check.passed and check.hint:
            lines.append(f"      hint: {check.hint}")
        if debug and check.debug:
            lines += [f"      debug: {line}" for line in check.debug.splitlines()]
    return "\n".join(lines)


def result_markdown(result: ExerciseResult, notebook: str, *, debug: bool = False) -> str:
    """The feedback file for one submission."""
    lines = [f"# Feedback: {notebook}", "",
             f"**{result.title}** (`{result.exercise}`): **{_points(result.score)} / "
             f"{_points(result.max_points)}** points", ""]
    lines += [f"> {line}" for line in status_lines(result)]
    lines += ["", "| | check | points | result |", "|---|---|---|---|"]
    for check in result.checks:
        detail = check.message.replace("|", "\\|").replace("\n", " ")
        if not check.passed and check.hint:
            detail += f"<br>Hint: {check.hint.replace('|', chr(92) + '|')}"
        if debug and check.debug:
            detail += f"<br>`{check.debug.replace('|', chr(92) + '|').replace(chr(10), ' ')}`"
        lines.append(f"| {_mark(check)} | {check.description} | {_points(check.score)}/{_points(check.points)} | "
                     f"{detail} |")
    return "\n".join(lines) + "\n"

#!/usr/bin/env python3
"""relconv's benchmark harness. Run it through bench/run.sh, which builds relconv first.

Every benchmark is a small sh script (kept in results/work/scripts/ so it can be rerun by
hand) that writes its outputs into its own folder. The benchmarks come in groups (per-doc,
book, batch, scaling). Each command of a group is first run once as a probe under
/usr/bin/time, which gives its peak RSS and checks its exit code (this run is also the
warm-up; its standard error is kept in results/work/stderr/). Then the group is timed in
rounds: in each round every command of the group runs once, in the same order, the floor
(cmark-gfm) first (in scaling, first at each size). So relconv and the floor are timed
seconds apart, again and again, and a drift of the machine's speed over minutes falls on
both alike. A timed run is `sh script` started with posix_spawn and reaped with os.wait4:
wall time from time.perf_counter around the two, CPU time from wait4's rusage (user +
system of sh and the children it waited for, which is all of the command). The output
folder is emptied before every run, outside the timed span. Slow commands are left out of
the later rounds once they have their (fewer) samples. Without /usr/bin/time, peak RSS is
not reported.

Every figure is a median over the runs of this invocation (peak RSS: the warm-up run's), and
every ratio is taken between commands of this invocation: the machine may be shared and
noisy, so figures from different runs must not be compared.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

TIME = "/usr/bin/time"
CMARK = "cmark-gfm -e table -e strikethrough -e autolink -e tagfilter -e tasklist -e footnotes"
BOOK_TITLE = "Benchmark book"

# How each peer does relconv's formats: tool -> format -> (per-document body, book body).
# In per-document bodies "$f" is the input and "$OUT/$i" the output stem; in book bodies
# {files} is the quoted list of inputs and {dirs} their folders joined with ':'.
PEERS = {
    "pandoc": {
        "txt": ('pandoc -t plain -o "$OUT/$i.txt" "$f"',
                'pandoc -t plain -o "$OUT/book.txt" {files}'),
        "man": ('pandoc -s -t man -o "$OUT/$i.1" "$f"',
                "pandoc -s -t man -M title='" + BOOK_TITLE + "' -o \"$OUT/book.1\" {files}"),
        "epub": ('pandoc -o "$OUT/$i.epub" --resource-path="${f%/*}" "$f"',
                 "pandoc -M title='" + BOOK_TITLE + "' --resource-path={dirs} -o \"$OUT/book.epub\" {files}"),
    },
    "lowdown": {
        "txt": ('lowdown -tterm -o "$OUT/$i.txt" "$f"', 'cat {files} | lowdown -tterm -o "$OUT/book.txt"'),
        "man": ('lowdown -s -tman -o "$OUT/$i.1" "$f"', 'cat {files} | lowdown -s -tman -o "$OUT/book.1"'),
    },
    "go-md2man": {
        "man": ('go-md2man -in "$f" -out "$OUT/$i.1"', 'cat {files} | go-md2man -out "$OUT/book.1"'),
    },
}
FLOOR = ("cmark-gfm", "html", CMARK + ' "$f" > "$OUT/$i.html"', CMARK + ' {files} > "$OUT/book.html"')
PEER_LABEL = {("pandoc", "txt"): "-t plain", ("pandoc", "man"): "-s -t man", ("pandoc", "epub"): "-t epub",
              ("lowdown", "txt"): "-tterm", ("lowdown", "man"): "-s -tman", ("go-md2man", "man"): "",
              ("cmark-gfm", "html"): "(floor)"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fmt_time(s):
    if s is None:
        return "–"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_bytes(n):
    if n is None:
        return "–"
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} B"


def both(wall_ok, cpu_ok):
    """A target is met when it holds for wall time and for CPU time; 'unclear' when only one
    does (on a shared machine, wall time includes waiting for a core)."""
    return wall_ok if wall_ok == cpu_ok else "unclear"


def fmt_rss(kb):
    return "–" if kb is None else f"{kb / 1024:.1f} MB"


def fmt_ratio(r):
    if r is None:
        return "–"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def tree_size(path):
    total = files = 0
    for root, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(root, n))
            files += 1
    return total, files


def copy_tree(src, dst):
    """Copies a folder with hard links where the file system allows it."""
    try:
        shutil.copytree(src, dst, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)


def find_docs(corpus):
    docs = []
    for root, dirs, names in os.walk(corpus):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".md", ".mdx", ".markdown")):
                docs.append(os.path.join(root, n))
    return docs


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end >= 0:
            nl = text.find("\n", end + 4)
            return text[nl + 1:] if nl >= 0 else ""
    return text


class Harness:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.runs = 1 if args.quick else args.runs
        # Slow commands never get more rounds than the others (when BENCH_RUNS is set low).
        self.slow_runs = 1 if args.quick else min(args.slow_runs, self.runs)
        self.very_slow_runs = min(2, self.runs)
        self.relconv = os.path.abspath(args.relconv)
        self.results = os.path.abspath(args.results)
        self.work = os.path.join(self.results, "work")
        self.records = []
        self.failures = []
        self.pending = []  # the commands of the current group, probed, waiting for their rounds
        self.has_time = os.access(TIME, os.X_OK)
        self.sh = shutil.which("sh")
        self.relconv_shared = os.path.abspath(args.relconv_shared) if args.relconv_shared else None
        # The library floors (bench/floors/, built by run.sh): format -> (tool, label, program).
        self.lib_floors = {}
        if args.zip_floor:
            self.lib_floors["epub"] = ("libzip alone", "one stored entry", os.path.abspath(args.zip_floor))
        if args.haru_floor:
            self.lib_floors["pdf"] = ("libharu alone", "one TrueType font, one page", os.path.abspath(args.haru_floor))
        self.env = dict(os.environ, RELCONV=self.relconv, RELCONV_SHARED=self.relconv_shared or "", LC_ALL="C.UTF-8")
        for fmt, var in (("epub", "ZIP_FLOOR"), ("pdf", "HARU_FLOOR")):
            self.env[var] = self.lib_floors[fmt][2] if fmt in self.lib_floors else ""
        self.env.pop("SOURCE_DATE_EPOCH", None)

    # ---- running -------------------------------------------------------------------

    def spawn(self, argv, out, errlog):
        """Empties `out`, then runs argv with no input and no standard output, standard error
        appended to `errlog`. Returns (wall seconds, exit code, rusage); only the spawn and the
        wait are inside the timed span."""
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, errlog, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, self.env, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        return wall, os.waitstatus_to_exitcode(status), ru

    def probe(self, script, out, errlog):
        """The warm-up run, under /usr/bin/time for peak RSS. The peak RSS a child reports
        starts at that of the process that spawned it (Linux carries the spawner's high-water
        mark over exec), so this Python process cannot measure it: /usr/bin/time, small, forks
        the command and reports its rusage."""
        timelog = os.path.join(self.work, "timelog", "probe.log")
        argv = [TIME, "-f", "%e %U %S %M %x", "-o", timelog, self.sh, script] if self.has_time else [self.sh, script]
        wall, code, ru = self.spawn(argv, out, errlog)
        sample = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": None, "code": code}
        if self.has_time:
            with open(timelog) as f:
                for line in f:
                    m = re.fullmatch(r"([\d.]+) ([\d.]+) ([\d.]+) (\d+) (-?\d+)\n?", line)
                    if m:
                        sample.update(rss_kb=int(m[4]), code=int(m[5]))
        return sample

    def timed_run(self, script, out):
        """One timed run: `sh script` itself, so wait4's rusage is that of sh and of every
        child it waited for (the whole command), to the microsecond."""
        wall, code, ru = self.spawn([self.sh, script], out, os.devnull)
        return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": None, "code": code}

    def fail(self, rec, code, stderr):
        rec.update(failed=True, code=code, stderr=stderr)
        self.failures.append(rec)

    def measure(self, group, tool, fmt, label, body, extra=None):
        """Writes one benchmark's script (`body` is sh text that writes into "$OUT") and runs its
        probe. Its timed runs are made by time_group(), in rounds with the rest of its group."""
        ident = re.sub(r"[^A-Za-z0-9]+", "-", f"{group}-{tool}-{fmt}-{label}").strip("-")
        out = os.path.join(self.work, "out", ident)
        script = os.path.join(self.work, "scripts", ident + ".sh")
        errlog = os.path.join(self.work, "stderr", ident + ".log")
        with open(script, "w") as f:
            f.write(f"# {group}: {tool} {fmt} {label}\nset -e\nOUT={shlex.quote(out)}\n{body}\n")
        if os.path.exists(errlog):
            os.remove(errlog)
        rec = {"group": group, "tool": tool, "format": fmt, "label": label, "script": script}
        rec.update(extra or {})
        self.records.append(rec)
        probe = self.probe(script, out, errlog)
        if probe["code"] != 0:
            with open(errlog, errors="replace") as f:
                tail = f.read()[-600:]
            self.fail(rec, probe["code"], tail)
            log(f"  {group:8} {tool:13} {fmt:5} {label:28} FAILED (exit {probe['code']}): "
                f"{tail.strip().splitlines()[-1] if tail.strip() else ''}")
            return rec
        # The probe is the warm-up; slow commands get fewer timed runs, very slow ones none.
        runs = (0 if self.quick or probe["wall"] > 60 else self.very_slow_runs if probe["wall"] > 20 else
                self.slow_runs if probe["wall"] > 3 else self.runs)
        log(f"  {group:8} {tool:13} {fmt:5} {label:28} probe {fmt_time(probe['wall'])}, "
            f"{fmt_rss(probe['rss_kb'])} peak; {runs} timed run(s)")
        self.pending.append({"rec": rec, "script": script, "out": out, "errlog": errlog, "probe": probe,
                             "runs": runs, "samples": []})
        return rec

    def time_group(self):
        """The timed runs of the group just probed, interleaved: round after round, each command
        that still wants samples runs once, in the order the commands were added (the floor
        first). A command with fewer runs (a slow one) drops out once it has them."""
        pending, self.pending = self.pending, []
        rounds = max((p["runs"] for p in pending), default=0)
        for k in range(rounds):
            active = [p for p in pending if len(p["samples"]) < p["runs"] and not p["rec"].get("failed")]
            log(f"  round {k + 1}/{rounds}: {len(active)} command(s)")
            for p in active:
                s = self.timed_run(p["script"], p["out"])
                if s["code"] != 0:
                    self.fail(p["rec"], s["code"], f"timed run {k + 1} failed (exit {s['code']})")
                    r = p["rec"]
                    log(f"    {r['tool']} {r['format']} {r['label']}".rstrip()
                        + f": FAILED on timed run {k + 1} (exit {s['code']})")
                    continue
                p["samples"].append(s)
        for p in pending:
            rec = p["rec"]
            if rec.get("failed"):
                continue
            samples = p["samples"] or [p["probe"]]  # no timed runs: the probe is the figure
            rss = p["probe"]["rss_kb"]
            size, files = tree_size(p["out"])  # the last run's outputs
            rec.update(runs=len(samples),
                       wall=statistics.median(s["wall"] for s in samples),
                       wall_min=min(s["wall"] for s in samples),
                       cpu=statistics.median(s["cpu"] for s in samples),
                       rss_kb=rss,
                       out_bytes=size, out_files=files,
                       warnings=sum(1 for line in open(p["errlog"], errors="replace") if "warning" in line))
            log(f"  {rec['group']:8} {rec['tool']:13} {rec['format']:5} {rec['label']:28} "
                f"{fmt_time(rec['wall'])} wall, {fmt_time(rec['cpu'])} CPU, {fmt_rss(rss)} peak, "
                f"{fmt_bytes(size)} out, {len(samples)} run(s)")

    def find(self, group, tool, fmt, label=None):
        for r in self.records:
            if (r["group"], r["tool"], r["format"]) == (group, tool, fmt) and (label is None or r["label"] == label) \
                    and not r.get("failed"):
                return r
        return None

    # ---- the benchmarks -------------------------------------------------------------

    def setup(self):
        shutil.rmtree(self.work, ignore_errors=True)
        for d in ("scripts", "stderr", "timelog", "out", "inputs"):
            os.makedirs(os.path.join(self.work, d))
        listing = subprocess.run([self.relconv, "--list-formats"], capture_output=True, text=True, check=True).stdout
        self.formats = []  # (name, extension)
        for line in listing.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] != "tree":
                self.formats.append((parts[0], parts[1].split(",")[0]))
        corpus = os.path.abspath(self.args.corpus)
        docs = find_docs(corpus)
        if not docs:
            sys.exit(f"bench: no Markdown files in {corpus}")
        if self.quick:
            # Three documents, copied with their folders (images) so batch mode sees only them.
            picked = docs[:3]
            corpus_q = os.path.join(self.work, "inputs", "corpus")
            os.makedirs(corpus_q)
            for d in picked:
                rel = os.path.relpath(os.path.dirname(d), corpus)
                if rel == ".":
                    shutil.copy(d, corpus_q)
                elif not os.path.exists(os.path.join(corpus_q, rel)):
                    shutil.copytree(os.path.dirname(d), os.path.join(corpus_q, rel))
            corpus = corpus_q
            docs = find_docs(corpus)
        self.corpus, self.docs = corpus, docs
        self.corpus_bytes = sum(os.path.getsize(d) for d in docs)
        self.list_file = os.path.join(self.work, "inputs", "docs.txt")
        with open(self.list_file, "w") as f:
            f.writelines(d + "\n" for d in docs)
        self.files_q = " ".join(shlex.quote(d) for d in docs)
        dirs = sorted({os.path.dirname(d) for d in docs})
        self.dirs_q = shlex.quote(":".join(dirs))
        self.tools = {t: shutil.which(t) is not None for t in ("pandoc", "lowdown", "go-md2man", "cmark-gfm")}
        self.pdf_engines = [e for e in ("pdflatex", "xelatex", "lualatex", "tectonic", "weasyprint", "wkhtmltopdf",
                                        "prince", "pagedjs-cli", "context") if shutil.which(e)]

    def per_doc(self, body):
        return (f"i=0\nwhile IFS= read -r f; do\n  i=$((i+1))\n  {body}\ndone < {shlex.quote(self.list_file)}")

    def doc_and_book(self, groups):
        for group in groups:
            log(f"{group}:")
            # The floor first, right before relconv: the targets are ratios between the two,
            # and this machine's speed drifts over the minutes pandoc takes.
            if self.tools["cmark-gfm"]:
                tool, fmt, doc_body, book_body = FLOOR
                body = self.per_doc(doc_body) if group == "per-doc" else book_body.format(files=self.files_q)
                self.measure(group, tool, fmt, PEER_LABEL[(tool, fmt)], body)
            for name, ext in self.formats:
                if group == "per-doc":
                    body = self.per_doc(f'"$RELCONV" -q --to {name} -o "$OUT/$i{ext}" "$f"')
                else:
                    body = (f"\"$RELCONV\" -q -M title='{BOOK_TITLE}' --to {name} -o \"$OUT/book{ext}\" "
                            + self.files_q)
                self.measure(group, "relconv", name, "", body)
                if group == "per-doc" and self.relconv_shared:
                    self.measure(group, "relconv", name, "shared libstdc++",
                                 self.per_doc(f'"$RELCONV_SHARED" -q --to {name} -o "$OUT/$i{ext}" "$f"'))
                if group == "per-doc" and name in self.lib_floors:
                    # What the library relconv must use for this format costs a process by
                    # itself (bench/floors/): one process per document, writing a trivial file.
                    tool, label, _ = self.lib_floors[name]
                    var = "ZIP_FLOOR" if name == "epub" else "HARU_FLOOR"
                    self.measure(group, tool, name, label, self.per_doc(f'"${var}" "$OUT/$i{ext}"'))
            for tool, formats in PEERS.items():
                if not self.tools[tool]:
                    continue
                for fmt, (doc_body, book_body) in formats.items():
                    if self.quick and tool == "pandoc" and fmt != "txt":
                        continue  # quick mode proves the harness, not pandoc's speed
                    body = (self.per_doc(doc_body) if group == "per-doc"
                            else book_body.format(files=self.files_q, dirs=self.dirs_q))
                    self.measure(group, tool, fmt, PEER_LABEL[(tool, fmt)], body)
            self.time_group()

    def batch(self):
        log("batch:")
        names = ",".join(n for n, _ in self.formats)
        for jobs in (1, 2):
            self.measure("batch", "relconv", "all", f"--jobs {jobs}",
                         f'"$RELCONV" -q --to {names} --jobs {jobs} --out-dir "$OUT" {shlex.quote(self.corpus)}',
                         {"jobs": jobs, "copies": 1})
        # Memory as the number of documents grows: the corpus copied 20 times.
        copies = 20
        many = os.path.join(self.work, "inputs", f"corpus-x{copies}")
        for k in range(copies):
            copy_tree(self.corpus, os.path.join(many, f"copy{k + 1:02d}"))
        self.measure("batch", "relconv", "all", f"--jobs 2, corpus ×{copies}",
                     f'"$RELCONV" -q --to {names} --jobs 2 --out-dir "$OUT" {shlex.quote(many)}',
                     {"jobs": 2, "copies": copies})
        self.time_group()

    def scaling(self):
        log("scaling:")
        sizes = [("10 KB", 10_000), ("100 KB", 100_000)] if self.quick else \
            [("10 KB", 10_000), ("1 MB", 1_000_000), ("50 MB", 50_000_000)]
        bodies = []
        for d in self.docs:
            with open(d, encoding="utf-8", errors="replace") as f:
                bodies.append(strip_front_matter(f.read()).strip("\n") + "\n\n")
        for label, size in sizes:
            parts, n, i = [], 0, 0
            while n < size:
                parts.append(bodies[i % len(bodies)])
                n += len(parts[-1].encode())
                i += 1
            text = "".join(parts).encode()[:size].decode("utf-8", errors="ignore")
            cut = text.rfind("\n\n")
            if cut > len(text) // 2:
                text = text[:cut + 1]
            path = os.path.join(self.work, "inputs", f"scale-{label.replace(' ', '')}.md")
            with open(path, "w") as f:
                f.write(f"---\ntitle: Scaling test of {label}\ndate: 2024-01-01\n---\n\n{text}")
            nbytes = os.path.getsize(path)
            # The floor first at each size, as in every group's rounds.
            if self.tools["cmark-gfm"]:
                self.measure("scaling", "cmark-gfm", "html", label, f'{CMARK} {shlex.quote(path)} > "$OUT/doc.html"',
                             {"size": label, "in_bytes": nbytes})
            for name, ext in self.formats:
                self.measure("scaling", "relconv", name, label,
                             f'"$RELCONV" -q --to {name} -o "$OUT/doc{ext}" {shlex.quote(path)}',
                             {"size": label, "in_bytes": nbytes})
        self.time_group()

    # ---- the report -----------------------------------------------------------------

    def machine(self):
        cpu = "unknown"
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("model name"):
                        cpu = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass

        def version(cmd):
            try:
                return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.splitlines()[0].strip()
            except (OSError, IndexError, subprocess.SubprocessError):
                return None
        versions = {"relconv": version([self.relconv, "--version"]),
                    "pandoc": version(["pandoc", "--version"]), "cmark-gfm": version(["cmark-gfm", "--version"]),
                    "go-md2man": version(["go-md2man", "-version"]),
                    "lowdown": "installed" if self.tools.get("lowdown") else None}
        return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
                "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                "versions": {k: v for k, v in versions.items() if v}}

    def row(self, r, floor=None, base=None):
        if r.get("failed"):
            return f"| {r['tool']} | {r['format']} {r['label']} | failed (exit {r['code']}) | | | | | |"
        cells = [r["tool"], f"{r['format']} {r['label']}".strip(), fmt_time(r["wall"]), fmt_time(r["cpu"]),
                 fmt_rss(r["rss_kb"]), fmt_bytes(r["out_bytes"])]
        cells.append(fmt_ratio(r["wall"] / floor["wall"]) + " / " + fmt_ratio(r["cpu"] / floor["cpu"])
                     if floor else "–")
        cells.append(fmt_ratio(r["wall"] / base["wall"]) + " / " + fmt_ratio(r["cpu"] / base["cpu"])
                     if base and base is not r else "–")
        return "| " + " | ".join(cells) + " |"

    def timer_text(self):
        rss = ("peak RSS from /usr/bin/time" if self.has_time else
               "no peak RSS (/usr/bin/time is not installed)")
        clock = ("wall from time.perf_counter around posix_spawn and os.wait4, CPU (user + system, children "
                 "included) from wait4's rusage")
        if self.quick:
            return (f"quick mode, one run of each command, under /usr/bin/time (the probe), no timed rounds; {clock}; "
                    f"{rss}.")
        return (f"each command runs once first under /usr/bin/time (the warm-up; {rss}, exit code checked); then "
                f"each group is timed in {self.runs} interleaved rounds, every command of the group once a round in "
                f"the same order, cmark-gfm (the floor) first (in scaling: first at each size); a timed run is "
                f"`sh script`, {clock}; the output folder is emptied before each run, outside the timed span. "
                f"Commands whose warm-up took over 3 s are in the first {self.slow_runs} rounds only, over 20 s in "
                f"{self.very_slow_runs}, over 60 s in none (the warm-up run is their figure). Wall and CPU are "
                "medians over a command's rounds.")

    def report(self, started, finished):
        m = self.machine()
        m["load_start"] = started
        lines = [f"# relconv benchmark — {m['date']}", "",
                 f"Machine: {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']}; load average "
                 f"{started} at the start, {m['load']} at the end. Timer: " + self.timer_text(), "",
                 f"Corpus: {self.corpus} — {len(self.docs)} documents, {fmt_bytes(self.corpus_bytes)} of Markdown. "
                 f"Formats of relconv: {', '.join(n for n, _ in self.formats)}.",
                 "", "Versions: " + "; ".join(f"{k}: {v}" for k, v in m["versions"].items()) + ".", ""]
        if "pdf" in [n for n, _ in self.formats]:
            lines += ["pandoc's PDF route needs a LaTeX engine or WeasyPrint: "
                      + (f"found {', '.join(self.pdf_engines)} but not measured." if self.pdf_engines
                         else "none is installed here, so pandoc → PDF is not measured."), ""]
        header = ["| tool | format | wall | CPU | peak RSS | output | × cmark-gfm (wall / CPU) | × relconv (wall / CPU) |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        targets = []
        for group, title in (("per-doc", f"One process per document ({len(self.docs)} processes per row)"),
                             ("book", "One process making one book of the whole corpus")):
            floor = self.find(group, "cmark-gfm", "html")
            lines += [f"## {title}", ""] + header
            for r in self.records:
                if r["group"] != group:
                    continue
                base = self.find(group, "relconv", r["format"], "") if r["tool"] != "relconv" or r["label"] else None
                lines.append(self.row(r, floor, base))
            lines.append("")
            if group == "per-doc" and self.lib_floors:
                what = {"epub": "libzip alone writes a zip with one stored entry, EPUB's mimetype",
                        "pdf": "libharu alone one page with one line in one embedded TrueType font"}
                lines += ["The library floors are the programs in bench/floors/, run once per document like the "
                          "other rows: each starts with only its library linked and writes a trivial file ("
                          + "; ".join(what[n] for n in ("epub", "pdf") if n in self.lib_floors)
                          + "). They are what a process per document costs at the least when it uses the library "
                          "relconv must use for that format.", ""]
            # Targets of issue 8.
            for name, _ in self.formats:
                r = self.find(group, "relconv", name)
                if not r or not floor:
                    continue
                ratio = r["wall"] / floor["wall"]
                if group == "per-doc":
                    value = f"{ratio:.2f}× (CPU {r['cpu'] / floor['cpu']:.2f}×)"
                    lib = self.find(group, self.lib_floors[name][0], name) if name in self.lib_floors else None
                    if lib:
                        value += (f"; {lib['tool']}: {lib['wall'] / floor['wall']:.2f}× cmark-gfm "
                                  f"(CPU {lib['cpu'] / floor['cpu']:.2f}×)")
                    targets.append((f"per document, {name}: within 1.5× of cmark-gfm per document",
                                    both(ratio <= 1.5, r["cpu"] / floor["cpu"] <= 1.5), value))
                    s = self.find(group, "relconv", name, "shared libstdc++")
                    if s:
                        ratio = s["wall"] / floor["wall"]
                        targets.append((f"per document, {name}, built with RELCONV_STATIC_DEPS=OFF: within 1.5× of "
                                        "cmark-gfm", both(ratio <= 1.5, s["cpu"] / floor["cpu"] <= 1.5),
                                        f"{ratio:.2f}× (CPU {s['cpu'] / floor['cpu']:.2f}×)"))
                else:
                    limit = 5 if name == "pdf" else 2
                    targets.append((f"book, {name}: within {limit}× of cmark-gfm on the whole archive",
                                    both(ratio <= limit, r["cpu"] / floor["cpu"] <= limit),
                                    f"{ratio:.2f}× (CPU {r['cpu'] / floor['cpu']:.2f}×)"))
                    p = self.find(group, "pandoc", name)
                    if p:
                        speed = p["wall"] / r["wall"]
                        targets.append((f"book, {name}: at least 100× faster than pandoc",
                                        both(speed >= 100, p["cpu"] / r["cpu"] >= 100),
                                        f"{speed:.0f}× (CPU {p['cpu'] / r['cpu']:.0f}×)"))
                    elif name == "pdf":
                        targets.append(("book, pdf: at least 100× faster than pandoc", None,
                                        "not measured: pandoc has no PDF engine here"))
                    if name == "pdf":
                        targets.append(("book, pdf: peak memory under 100 MB",
                                        None if r["rss_kb"] is None else r["rss_kb"] < 100 * 1024,
                                        f"{fmt_rss(r['rss_kb'])}"))

        lines += ["## Batch mode (`--out-dir`, every format, one parse per document)", "",
                  "| run | documents | wall | CPU | peak RSS | output | throughput vs --jobs 1 |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        j1 = self.find("batch", "relconv", "all", "--jobs 1")
        j2 = self.find("batch", "relconv", "all", "--jobs 2")
        for r in self.records:
            if r["group"] != "batch":
                continue
            if r.get("failed"):
                lines.append(f"| {r['label']} | | failed (exit {r['code']}) | | | | |")
                continue
            docs = len(self.docs) * r["copies"]
            thr = (docs / r["wall"]) / (len(self.docs) / j1["wall"]) if j1 else None
            lines.append(f"| {r['label']} | {docs} | {fmt_time(r['wall'])} | {fmt_time(r['cpu'])} | "
                         f"{fmt_rss(r['rss_kb'])} | {fmt_bytes(r['out_bytes'])} | {fmt_ratio(thr)} |")
        lines.append("")
        if j1 and j2:
            speed = j1["wall"] / j2["wall"]
            targets.append(("batch: --jobs 2 at least 1.7× the throughput of --jobs 1", speed >= 1.7,
                            f"{speed:.2f}× (the load average was {started} at the start: other processes "
                            "share the cores)"))
        many = next((r for r in self.records if r["group"] == "batch" and r.get("copies", 1) > 1
                     and not r.get("failed")), None)
        if j2 and many and j2["rss_kb"] and many["rss_kb"]:
            growth = many["rss_kb"] / j2["rss_kb"]
            targets.append((f"batch: memory flat as documents grow (×{many['copies']} documents)", growth <= 1.25,
                            f"peak RSS {fmt_rss(j2['rss_kb'])} → {fmt_rss(many['rss_kb'])} "
                            f"({growth:.2f}×); time {many['wall'] / j2['wall']:.1f}× for {many['copies']}× the work"))

        lines += ["## Scaling with input size (one document, one process)", "",
                  "| tool | format | input | wall | CPU | peak RSS | output | CPU per MB of input |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        scale = [r for r in self.records if r["group"] == "scaling"]
        for r in scale:
            if r.get("failed"):
                lines.append(f"| {r['tool']} | {r['format']} | {r['label']} | failed (exit {r['code']}) | | | | |")
                continue
            lines.append(f"| {r['tool']} | {r['format']} | {fmt_bytes(r['in_bytes'])} | {fmt_time(r['wall'])} | "
                         f"{fmt_time(r['cpu'])} | {fmt_rss(r['rss_kb'])} | {fmt_bytes(r['out_bytes'])} | "
                         f"{fmt_time(r['cpu'] / (r['in_bytes'] / 1e6))} |")
        lines.append("")
        labels = sorted({r["label"] for r in scale}, key=lambda l: next(x["in_bytes"] for x in scale if x["label"] == l))
        if len(labels) >= 2:
            mid, big = labels[-2], labels[-1]
            for name in [n for n, _ in self.formats] + ["html"]:
                tool = "cmark-gfm" if name == "html" else "relconv"
                a, b = self.find("scaling", tool, name, mid), self.find("scaling", tool, name, big)
                if a and b:
                    per_a, per_b = a["cpu"] / a["in_bytes"], b["cpu"] / b["in_bytes"]
                    growth = per_b / per_a
                    targets.append((f"scaling, {tool} {name}: cost linear in input size ({mid} → {big})",
                                    growth <= 1.5 if tool == "relconv" else None,
                                    f"CPU per MB {per_a * 1e6 * 1000:.1f} ms → {per_b * 1e6 * 1000:.1f} ms "
                                    f"({growth:.2f}×); peak RSS {fmt_rss(a['rss_kb'])} → {fmt_rss(b['rss_kb'])}"))

        lines += ["## Targets of issue 8", ""]
        if self.quick:
            lines += ["Quick mode (one run on three documents, to prove the harness works): these verdicts "
                      "mean nothing.", ""]
        lines += ["A target is met when it holds for both wall and CPU time; *unclear* when only one of them "
                  "does (wall time includes waiting for a core on a shared machine).", "",
                  "| target | met | measured (wall, and CPU in brackets) |", "| --- | --- | --- |"]
        for what, ok, value in targets:
            verdict = "–" if ok is None else ok if isinstance(ok, str) else "yes" if ok else "**no**"
            lines.append(f"| {what} | {verdict} | {value} |")
        lines.append("")
        if self.failures:
            lines += ["## Failures", ""]
            for r in self.failures:
                lines += [f"- {r['group']} {r['tool']} {r['format']} {r['label']}: exit {r['code']} "
                          f"(script {r['script']})", "", "  ```", *("  " + l for l in r["stderr"].splitlines()[-8:]),
                          "  ```"]
            lines.append("")
        lines.append(f"Took {finished:.0f} s. Scripts, outputs and standard error of every command: {self.work}.")
        summary = "\n".join(lines) + "\n"
        with open(os.path.join(self.results, "summary.md"), "w") as f:
            f.write(summary)
        with open(os.path.join(self.results, "results.json"), "w") as f:
            json.dump({"machine": m, "quick": self.quick, "timer": self.timer_text(), "corpus": self.corpus,
                       "documents": len(self.docs), "corpus_bytes": self.corpus_bytes, "formats": self.formats,
                       "records": self.records,
                       "targets": [{"target": t, "met": ok, "measured": v} for t, ok, v in targets]}, f, indent=1)
        return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relconv", required=True)
    ap.add_argument("--relconv-shared", help="a relconv built with -DRELCONV_STATIC_DEPS=OFF, measured per document too")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--quick", action="store_true", help="3 documents, 1 run each: proves the harness works")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
    ap.add_argument("--slow-runs", type=int, default=int(os.environ.get("BENCH_SLOW_RUNS", 3)))
    ap.add_argument("--zip-floor", help="the bench/floors/zip_floor.c program: a 'libzip alone' row per document")
    ap.add_argument("--haru-floor", help="the bench/floors/haru_floor.c program: a 'libharu alone' row per document")
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", "per-doc,book,batch,scaling"),
                    help="comma list of groups to run")
    args = ap.parse_args()
    h = Harness(args)
    os.makedirs(h.results, exist_ok=True)
    t0 = time.time()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    h.setup()
    log(f"bench: {len(h.docs)} documents ({fmt_bytes(h.corpus_bytes)}), formats {', '.join(n for n, _ in h.formats)}, "
        f"{'1 run each' if h.quick else f'{h.runs} interleaved rounds'}, library floors: "
        f"{', '.join(t for t, _, _ in h.lib_floors.values()) or 'none'}")
    groups = args.only.split(",")
    h.doc_and_book([g for g in ("per-doc", "book") if g in groups])
    if "batch" in groups:
        h.batch()
    if "scaling" in groups:
        h.scaling()
    print(h.report(load, time.time() - t0))
    # A failure of relconv itself means the harness or relconv is broken; peers that fail
    # (an old pandoc, a missing font) are reported but do not fail the run.
    broken = [r for r in h.failures if r["tool"] == "relconv"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

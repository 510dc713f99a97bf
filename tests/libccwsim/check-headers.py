#!/usr/bin/env python3
"""
The public headers of libccwsim, checked as an outside user meets them:

  - each compiles alone in C99 (-Wall -Wextra -Werror -pedantic), in C++
    (g++), and after <sys/param.h> (which defines MIN and MAX);
  - each declares C names only (extern "C" in C++: a C++ file calling the
    functions links against the C library);
  - every macro, tag, typedef, enumerator, function and object a header
    adds begins with sim_ or SIM_ (header guards included);
  - no header declares a C library function.

Usage: check-headers.py HEADER...   (paths relative to the current directory)
       check-headers.py --self-test  (each check meets a header made to break it)
       check-headers.py --functions HEADER...  (print the functions and objects
                                               the headers declare, one a line)
Prints CHECK lines and exits 1 when one fails.
"""
import os
import re
import subprocess
import sys
import tempfile

CC = os.environ.get("HOSTCC", "gcc")
CXX = os.environ.get("HOSTCXX", "g++")
WARN = ["-Wall", "-Wextra", "-Werror"]
failed = 0


def check(name, ok, detail=""):
    global failed
    print("CHECK %s %s" % (name, "PASS" if ok else "FAIL"))
    if not ok:
        failed += 1
        if detail:
            sys.stdout.write("".join("  " + l + "\n" for l in detail.splitlines()[:20]))


def compile_text(cmd, text, suffix):
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "t" + suffix)
        with open(src, "w") as f:
            f.write(text)
        r = subprocess.run(cmd + ["-c", src, "-o", os.path.join(d, "t.o")],
                           capture_output=True, text=True)
        return r.returncode == 0, r.stderr


def preprocess(lang, text, extra=()):
    r = subprocess.run([CC, "-std=c99", "-x", lang, "-E"] + list(extra) + ["-"],
                       input=text, capture_output=True, text=True, check=True)
    return r.stdout


def own_text(header, pp):
    """The lines of the preprocessed output that come from header itself."""
    out, mine = [], False
    real = os.path.realpath(header)
    for line in pp.splitlines():
        m = re.match(r'# \d+ "([^"]+)"', line)
        if m:
            mine = os.path.realpath(m.group(1)) == real
            continue
        if mine:
            out.append(line)
    return "\n".join(out)


def names_declared(text):
    """Tags, typedefs, enumerators, functions and objects at file scope."""
    names = set()
    text = re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)", "", text)
    for m in re.finditer(r"\b(?:struct|union|enum)\s+([A-Za-z_]\w*)", text):
        names.add(m.group(1))
    for m in re.finditer(r"\benum\b[^{;]*\{([^}]*)\}", text):
        for item in m.group(1).split(","):
            item = item.strip()
            if item:
                names.add(re.match(r"[A-Za-z_]\w*", item).group(0))
    # Walk file scope: braces and parentheses at depth 0 only.
    depth_b = depth_p = 0
    stmt = ""
    for ch in text:
        if ch == "{":
            depth_b += 1
        elif ch == "}":
            depth_b -= 1
        elif depth_b == 0:
            if ch == ";":
                s = " ".join(stmt.split())
                stmt = ""
                if s.startswith("typedef"):
                    m = re.search(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(", s) or \
                        re.search(r"([A-Za-z_]\w*)\s*(?:\[[^]]*\])?\s*$", s)
                    if m:
                        names.add(m.group(1))
                    continue
                # A function: the identifier before the first '(' at depth 0.
                m = re.match(r"[^(]*?([A-Za-z_]\w*)\s*\(", s)
                if m:
                    names.add(m.group(1))
                    continue
                m = re.search(r"([A-Za-z_]\w*)\s*(?:\[[^]]*\])?\s*(?:=.*)?$", s)
                if m and not re.fullmatch(r"(struct|union|enum)\s+\w+", s):
                    names.add(m.group(1))
            else:
                stmt += ch
            continue
        if depth_b == 0 and ch not in "{}":
            stmt += ch
    return names


LIBC_FUNCS = {"memcpy", "memmove", "memset", "memcmp", "strlen", "strcmp",
              "strncmp", "strcpy", "malloc", "free", "calloc", "realloc",
              "printf", "snprintf", "abort", "exit"}


def main(headers):
    for h in headers:
        base = os.path.basename(h)
        inc = os.path.dirname(os.path.abspath(h))
        use = '#include "%s"\n' % base
        flags = ["-I" + inc]
        ok, err = compile_text([CC, "-std=c99", "-pedantic"] + WARN + flags, use, ".c")
        check("headers.%s.c99-alone" % base, ok, err)
        ok, err = compile_text([CXX, "-std=c++11"] + WARN + flags, use, ".cpp")
        check("headers.%s.cxx-alone" % base, ok, err)
        ok, err = compile_text([CC, "-std=gnu11"] + WARN + flags,
                               "#include <sys/param.h>\n" + use +
                               "int sim_check_min(void);\n"
                               "int sim_check_min(void) { return MIN(1, 2); }\n", ".c")
        check("headers.%s.after-sys-param" % base, ok, err)
        # C linkage in C++: whatever the header declares is in extern "C".
        own_cxx = own_text(os.path.join(inc, base),
                           preprocess("c++", use, flags + ["-D__cplusplus=201103L"]))
        check("headers.%s.extern-c" % base,
              'extern "C"' in own_cxx or not names_declared(own_cxx),
              'declarations outside extern "C"')
        # The names the header adds: macros (from -dM minus what the
        # system headers it includes define) and declarations.
        own = own_text(os.path.join(inc, base), preprocess("c", use, flags))
        system = sorted({s for other in headers
                         for s in re.findall(r"#\s*include\s*<([^>]+)>", open(other).read())})
        base_macros = set(re.findall(r"#define (\w+)", preprocess(
            "c", "".join("#include <%s>\n" % s for s in system), ["-dM"])))
        macros = set(re.findall(r"#define (\w+)", preprocess("c", use, flags + ["-dM"])))
        added = {m for m in macros - base_macros if not m.startswith("__")}
        names = names_declared(own)
        bad = sorted(n for n in added | names
                     if not (n == "sim" or n.startswith("sim_") or n.startswith("SIM_")))
        check("headers.%s.prefixed" % base, not bad, "unprefixed: " + " ".join(bad))
        libc = sorted(n for n in names if n in LIBC_FUNCS)
        check("headers.%s.no-libc" % base, not libc, "declares: " + " ".join(libc))
    return 1 if failed else 0


GOOD_HEAD = "#ifndef SIM_T_H\n#define SIM_T_H\n#include <stdint.h>\n"
GOOD_C_OPEN = '#ifdef __cplusplus\nextern "C" {\n#endif\n'
GOOD_C_CLOSE = '#ifdef __cplusplus\n}\n#endif\n#endif\n'
BROKEN = {
    # what breaks -> (header body, the check that must fail)
    "unguarded-min": ("#define MIN(a, b) ((a) < (b) ? (a) : (b))\n", "after-sys-param"),
    "restrict-memcpy": ("#include <stddef.h>\n"
                        "void *memcpy(void *restrict d, const void *restrict s, size_t n);\n",
                        "cxx-alone"),
    "libc-declared": ("#include <stddef.h>\nsize_t strlen(const char *s);\n", "no-libc"),
    "unprefixed-tag": ("struct ring { int x; };\n", "prefixed"),
    "unprefixed-macro": ("#define U8_MAX 255\n", "prefixed"),
    "unprefixed-function": ("int ring_init(void);\n", "prefixed"),
    "unprefixed-enumerator": ("enum sim_e { SIM_A, RING_B };\n", "prefixed"),
    "not-self-contained": ("u8 sim_x(void);\n", "c99-alone"),
}


def self_test():
    global failed
    results = []
    for what, (body, must_fail) in BROKEN.items():
        with tempfile.TemporaryDirectory() as d:
            h = os.path.join(d, "sim_t.h")
            with open(h, "w") as f:
                f.write(GOOD_HEAD + GOOD_C_OPEN + body + GOOD_C_CLOSE)
            r = subprocess.run([sys.executable, __file__, h], capture_output=True, text=True)
            hit = ("CHECK headers.sim_t.h.%s FAIL" % must_fail) in r.stdout
            results.append(("headers.self-test.%s" % what, hit and r.returncode == 1))
    with tempfile.TemporaryDirectory() as d:
        h = os.path.join(d, "sim_t.h")
        with open(h, "w") as f:
            f.write(GOOD_HEAD + "int sim_x(void);\n#endif\n")
        r = subprocess.run([sys.executable, __file__, h], capture_output=True, text=True)
        results.append(("headers.self-test.no-extern-c",
                        "CHECK headers.sim_t.h.extern-c FAIL" in r.stdout))
        with open(h, "w") as f:
            f.write(GOOD_HEAD + GOOD_C_OPEN + "int sim_x(uint8_t v);\n#define SIM_Y 1\n" +
                    GOOD_C_CLOSE)
        r = subprocess.run([sys.executable, __file__, h], capture_output=True, text=True)
        results.append(("headers.self-test.clean-passes", r.returncode == 0))
    for name, ok in results:
        check(name, ok)
    return 1 if failed else 0


def functions(headers):
    """Functions and objects (not types, tags, enumerators or macros)."""
    found = set()
    for h in headers:
        inc = os.path.dirname(os.path.abspath(h))
        text = own_text(h, preprocess("c", '#include "%s"\n' % os.path.basename(h), ["-I" + inc]))
        text = re.sub(r"\benum\b[^{;]*\{[^}]*\}", "", text)
        typedefs = set()
        for m in re.finditer(r"typedef[^;]*?(?:\(\s*\*\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*)\s*;)", text):
            typedefs.add(m.group(1) or m.group(2))
        for n in names_declared(text) - typedefs:
            if re.search(r"\b%s\s*\(" % n, text) or \
               re.search(r"\bextern\b[^;(]*\b%s\s*;" % n, text):
                found.add(n)
    for n in sorted(found):
        print(n)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    if sys.argv[1:2] == ["--functions"]:
        sys.exit(functions(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))

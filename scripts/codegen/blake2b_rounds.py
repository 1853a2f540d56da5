#!/usr/bin/env python3
"""Generates the unrolled Blake2b round code (RFC 7693 section 3.2) for Tusk's Java Blake2b classes.

Rewrites the region between `// BEGIN GENERATED ROUNDS` and `// END GENERATED ROUNDS` in each target file.
Run from the repository root:  python3 scripts/codegen/blake2b_rounds.py
The tests compare every generated variant with Bouncy Castle, so a wrong table shows up as a test failure.
"""
import re
import sys

# RFC 7693 section 2.7: message word schedule; rounds 10 and 11 reuse rows 0 and 1.
SIGMA = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]
# Column step then diagonal step (RFC 7693 section 3.2, function F).
G_INDICES = [(0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15),
             (0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14)]
ROTATIONS = (32, 24, 16, 63)


def scalar_rounds(indent, first, last):
    """Rounds first..last-1 over long locals v0..v15 and m0..m15."""
    out = []
    for r in range(first, last):
        s = SIGMA[r % 10]
        out.append(f"// round {r}")
        for g, (a, b, c, d) in enumerate(G_INDICES):
            x, y = s[2 * g], s[2 * g + 1]
            a, b, c, d = f"v{a}", f"v{b}", f"v{c}", f"v{d}"
            out.append(f"{a} += {b} + m{x}; {d} = Long.rotateRight({d} ^ {a}, {ROTATIONS[0]}); "
                       f"{c} += {d}; {b} = Long.rotateRight({b} ^ {c}, {ROTATIONS[1]});")
            out.append(f"{a} += {b} + m{y}; {d} = Long.rotateRight({d} ^ {a}, {ROTATIONS[2]}); "
                       f"{c} += {d}; {b} = Long.rotateRight({b} ^ {c}, {ROTATIONS[3]});")
    return "\n".join(indent + line for line in out)


def vector_round(indent, rounds=1):
    """`rounds` consecutive rounds over LongVector locals v0..v15, starting at round s / 16; message word k
    of round s / 16 + r is at m[SCHEDULE[s + 16 r + k]]."""
    out = []
    for r in range(rounds):
        base = f"s + {16 * r + 0}" if r else "s"
        for g, (a, b, c, d) in enumerate(G_INDICES):
            a, b, c, d = f"v{a}", f"v{b}", f"v{c}", f"v{d}"
            for half, (x, rot_d, rot_b) in enumerate(((2 * g, ROTATIONS[0], ROTATIONS[1]),
                                                       (2 * g + 1, ROTATIONS[2], ROTATIONS[3]))):
                index = 16 * r + x
                out.append(f"{a} = {a}.add({b}).add(LongVector.fromArray(SPECIES, m, SCHEDULE[s + {index}])); "
                           f"{d} = {d}.lanewise(XOR, {a}).lanewise(ROR, {rot_d}); "
                           f"{c} = {c}.add({d}); {b} = {b}.lanewise(XOR, {c}).lanewise(ROR, {rot_b});")
    return "\n".join(indent + line for line in out)


def rewrite(path, generator):
    text = open(path).read()
    pattern = re.compile(r"(?P<indent>[ \t]*)// BEGIN GENERATED ROUNDS(?P<args>[^\n]*)\n.*?[ \t]*// END GENERATED ROUNDS",
                         re.S)

    def replace(match):
        indent = match.group("indent")
        args = match.group("args").split()
        body = generator(indent, *[int(a) for a in args])
        return (f"{indent}// BEGIN GENERATED ROUNDS{match.group('args')}\n"
                f"{indent}// (scripts/codegen/blake2b_rounds.py; do not edit by hand)\n"
                f"{body}\n{indent}// END GENERATED ROUNDS")

    new_text, count = pattern.subn(replace, text)
    if count == 0:
        sys.exit(f"{path}: no generated region found")
    open(path, "w").write(new_text)
    print(f"{path}: {count} region(s) rewritten")


if __name__ == "__main__":
    base = "tusk-core/src/main/java/io/tusk/core/hash/"
    rewrite(base + "Blake2bCompress.java", scalar_rounds)
    for name in ("Blake2bLanes4.java", "Blake2bLanes8.java"):
        try:
            rewrite(base + name, vector_round)
        except FileNotFoundError:
            pass

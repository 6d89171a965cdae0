#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

The seeds are the formulas the README and the tests use, the malformed ones
of the bad-input catalogue, and typographic forms; run it again after
editing the lists (it removes only the files it wrote, named seed-NN).
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"

FORMULAS = [
    "((w1*x1)-target)^2", "(2·w1 − 5)²", "4(w1)^2 - 20w1 + 25", "((2*w1)-5)^2",
    "(w0 + w1*x - t)^2", "x^3*exp(2*x)", "sigmoid(w*x)", "x/x + x - x + 2*x*3",
    "1/2x", "1/(2x)", "2^3^2", "-x^2", "x⁻¹", "（x＋1）", "［x］｛y｝", "6.02E23",
    "1e-3 * x", "log(x, 2)", "sqrt(8)", "ln(exp(x))", "e^x", "abs(x)*sign(x)",
    "tanh(a*x + b)", "sin(x)^2 + cos(x)^2", "(x+1)^10", "(a+b+c)^4",
    "(x^2 - 1)/(x - 1)", "-t*(1 - sigmoid(z)) + sigmoid(z)*(1 - t)",
    "x^3/3 - x^2 - x", "(3*w - 7)^2", "2 x y / z", "θ_0 + θ_1*x",
    "sqrt(x)^2", "sqrt(x^2)", "(x^2)^(1/2)", "(-8)^(1/3)", "x^(1/2)*x^(1/3)",
    "2^(1/2)*2^(1/2)", "exp(x)*exp(-x)", "ln(x*y)", "0^x", "x^0", "0*x",
]
MALFORMED = [
    "((w1*x1)-)^2", "2*(x", ")(", "x^", "sin()", "", "   ", "+", "*", "2**",
    "^2", "x^^2", "..5", "1e", "1e999999", "(x]", "x)", "foo(x)", "sigmoyd(x)",
    "x $", "x, y", "w₁", "2*√x", "x=1", "log(x,)", "sin x", "sin^2(x)",
    "x/(1-1)", "0^0", "0^-1", "ln(0)", "x\u200f+1", "e\u0301", "x + 🙂",
    "10^10^10", "x^1000000000", "(a+b+c+d+e)^200", "\x00", "((((((((((x))))))))))",
]
# Inputs the fuzzers found, kept as seeds so that every run covers them.
FOUND = [
    "22/10100u100Oma__2/0^10^101-y 10Om_",  # 0^(10^101) was not folded to 0
    "1234567890123456789 + 0.1234567890123456789",  # 19 digits overflowed a fast path
    "(x+x++4(x+x++6)^-919q+P)^-98q+H8",  # a limit error quoted 1,400 digits
]
EQUATIONS = ["8*w1 - 20 = 0", "x^2 = 2", "x + y = 3", "x^5 - x - 1", "0 = 0", "1 = 0",
             "x^2 + 1", "(x-1)^2*(x+2)", "x^4 - 10*x^2 + 1", "2*x = 2*x + 1"]
CLAIMS = [
    "(x+1)^2 = x^2 + 2*x + 1", "(x+1)^2 = x^2 + 1", "d/dx x^3 = 3*x^2", "d/dw1 (w1*x1 - t)^2 = 2*(w1*x1 - t)",
    "d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))", "solve(x^2 - 4 = 0, x) = 2", "solve(2*x - 1, x) = 1/2",
    "d2/dx2 x^4 = 12*x^2", "sin(x)^2 + cos(x)^2 = 1", "exp(ln(x)) = x", "x/x = 1", "d/dx = 1", "= x",
    "loss = (w - 3)^2\nd/dw loss = 2*(w - 3)\n= 2*w - 6",
]

def write(target, items, prefix=b""):
    d = ROOT / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    for i, s in enumerate(items):
        data = s if isinstance(s, bytes) else s.encode("utf-8")
        (d / f"seed-{i:02d}").write_bytes(prefix + data)

if __name__ == "__main__":
    text = FORMULAS + MALFORMED + FOUND
    write("parse", text + EQUATIONS + [b"\xff\xfe x", "x_1 = 2, target = 5", "w1=5/2"])
    write("roundtrip", FORMULAS + FOUND + ["10^10^10", "2^100000", "x^-2/3", "-(x - y)", "1 - x", "x*y^-1*z"])
    write("expand", FORMULAS + FOUND + ["(x+1)^64", "(x+y+z)^8", "(exp(x) + 1)^3", "(1/x + x)^5"])
    # The first byte of a diff input chooses the variable (and, in its top
    # two bits, the order).
    diff = [bytes([i % 4 + 64 * (i % 3)]) + s.encode() for i, s in enumerate(FORMULAS)]
    # The fourth derivative whose text did not read back (a denominator of
    # more than 100,000 bits).
    diff.append(b"\xc6M(X1e-32e-31e-32e-3113eC+113eC+1)^12")
    write("diff", diff)
    write("solve", EQUATIONS + FORMULAS[:20])
    write("check", CLAIMS + FORMULAS[:10])

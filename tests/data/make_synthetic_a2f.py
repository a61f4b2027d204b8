"""Generate the synthetic EPW and QE α²F test files in this directory.

The files follow the layouts written by EPW (``prefix.a2f``: header line, rows of Ω [meV],
α²F per smearing, [cumulative λ per smearing], footer with 'Integrated el-ph coupling') and by
Quantum ESPRESSO matdyn.x (``a2F.dosN``: '#' comment header, rows Ω [Ry], total α²F, per-mode
α²F, footer ' lambda = … Delta = …'). The spectra are made-up Gaussian peaks; no third-party data.
The footer λ values are computed the way the codes do (rectangle/midpoint sums).
Run: python tests/data/make_synthetic_a2f.py
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
RY_MEV = 13605.693122994


def peaks(w, lam_scale):
    g = np.exp(-0.5 * ((w - 4.5) / 1.0) ** 2) + 0.7 * np.exp(-0.5 * ((w - 8.5) / 1.2) ** 2)
    return lam_scale * g


def epw(name, with_cumulative):
    dw = 0.05
    w = dw * np.arange(1, 301)  # 0.05 … 15 meV
    cols = [np.round(peaks(w, s), 7) for s in (0.60, 0.62)]
    lam_cum = [np.cumsum(2.0 * c / w) * dw for c in cols]  # EPW-style rectangle sum
    lines = [" w[meV] a2f and integrated 2*a2f/w for    2 smearing values"]
    for i in range(w.size):
        row = [w[i]] + [c[i] for c in cols] + ([l[i] for l in lam_cum] if with_cumulative else [])
        lines.append("".join(f"{x:12.7f}" for x in row))
    lines += [" Integrated el-ph coupling",
              "  #         " + "".join(f"{l[-1]:12.7f}" for l in lam_cum),
              " Phonon smearing (meV)",
              "  #         " + "".join(f"{s:12.7f}" for s in (0.5, 0.55)),
              " Electron smearing (eV)   0.0500000",
              " Fermi window (eV)   0.3000000",
              " Summed el-ph coupling    1.1000000"]
    (HERE / name).write_text("\n".join(lines) + "\n")


def qe(name):
    n, e_max_mev = 200, 16.0
    delta = e_max_mev / RY_MEV / n
    e = delta * (np.arange(n) + 0.5)  # midpoints, as matdyn.x writes them
    w = e * RY_MEV
    modes = [np.round(0.3 * np.exp(-0.5 * ((w - c) / 1.1) ** 2), 6) for c in (4.0, 5.0, 9.0)]
    tot = sum(modes)
    lam = float(np.sum(2.0 * tot / e * delta))
    lines = [" ", " # Eliashberg function a2F (per both spin)", " #  frequencies in Rydberg  ",
             " # DOS normalized to E in Rydberg: a2F_total, a2F(mode) ", " "]
    for i in range(n):
        lines.append("   " + "".join(f"{x:16.6E}" for x in (e[i], tot[i], *[m[i] for m in modes])))
    lines.append(f"  lambda =  {lam:.15f}         Delta =   {delta:.15E}")
    (HERE / name).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    epw("synthetic.a2f", with_cumulative=True)
    epw("synthetic_old.a2f", with_cumulative=False)
    qe("a2F.dos3")

"""The figures' colours survive colour blindness: course_rnn.plots.PALETTE under simulated dichromacy.

Each colour is simulated as seen with protanopia, deuteranopia and tritanopia by the severity-1.0
matrices of Machado, Oliveira & Fernandes (2009, IEEE TVCG 15(6)), which act on linear sRGB, then
compared with every other colour by CIEDE2000 (Sharma, Wu & Dalal 2005) in CIE Lab (D65).

Threshold: two colours a reader must tell apart in a legend stay at least MIN_DELTA_E = 10 apart
(a just-noticeable difference is about 1 to 2.3; 10 is "different at a glance"). Okabe & Ito's
palette keeps at least 10.9 apart under all three; matplotlib's default tab10 falls to 1.3.
"""
import itertools

import matplotlib as mpl
import numpy as np
import pytest

from course_rnn.plots import OKABE_ITO, PALETTE, use_style

MIN_DELTA_E = 10.0           # under each simulated dichromacy
MIN_DELTA_E_TYPICAL = 20.0   # with typical colour vision

MACHADO_2009 = {
    "typical": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
# Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1.
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65_WHITE = SRGB_TO_XYZ.sum(axis=1)
# matplotlib's default colour cycle (tab10), first seven: the palette the course does not use.
TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]


def linear_rgb(hex_colour):
    """'#RRGGBB' -> linear sRGB in [0, 1], shape (3,)."""
    srgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab_seen_with(hex_colour, vision):
    """CIE Lab (D65) of `hex_colour` as seen with `vision` (a key of MACHADO_2009), shape (3,)."""
    rgb = np.clip(MACHADO_2009[vision] @ linear_rgb(hex_colour), 0, 1)
    xyz = SRGB_TO_XYZ @ rgb / D65_WHITE
    # f(t) = t^(1/3) above (6/29)^3, linear below
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _hue(b, a):
    return np.degrees(np.arctan2(b, a)) % 360 if (a, b) != (0, 0) else 0.0


def ciede2000(lab1, lab2):
    """CIEDE2000 colour difference of two CIE Lab colours (kL = kC = kH = 1)."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    C_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    G = 0.5 * (1 - np.sqrt(C_mean ** 7 / (C_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = _hue(b1, a1p), _hue(b2, a2p)
    dLp, dCp = L2 - L1, C2p - C1p
    dhp = h2p - h1p if C1p * C2p else 0.0
    dhp = dhp - 360 if dhp > 180 else dhp + 360 if dhp < -180 else dhp
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dhp) / 2)
    Lp, Cp = (L1 + L2) / 2, (C1p + C2p) / 2
    if C1p * C2p == 0:
        hp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp = (h1p + h2p) / 2
    else:
        hp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    T = (1 - 0.17 * np.cos(np.radians(hp - 30)) + 0.24 * np.cos(np.radians(2 * hp))
         + 0.32 * np.cos(np.radians(3 * hp + 6)) - 0.20 * np.cos(np.radians(4 * hp - 63)))
    S_L = 1 + 0.015 * (Lp - 50) ** 2 / np.sqrt(20 + (Lp - 50) ** 2)
    S_C, S_H = 1 + 0.045 * Cp, 1 + 0.015 * Cp * T
    R_T = -np.sin(np.radians(60 * np.exp(-(((hp - 275) / 25) ** 2)))) * 2 * np.sqrt(Cp ** 7 / (Cp ** 7 + 25 ** 7))
    return float(np.sqrt((dLp / S_L) ** 2 + (dCp / S_C) ** 2 + (dHp / S_H) ** 2
                         + R_T * (dCp / S_C) * (dHp / S_H)))


def closest_pair(palette, vision):
    """(ΔE2000, colour, colour) of the two colours of `palette` hardest to tell apart with `vision`."""
    labs = {c: lab_seen_with(c, vision) for c in palette}
    return min((ciede2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(palette, 2))


@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu & Dalal (2005), table 1, pairs 1, 7, 17 and 25.
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_sharmas_published_test_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_and_black_under_every_simulation_is_neutral():
    for vision in MACHADO_2009:
        np.testing.assert_allclose(lab_seen_with("#FFFFFF", vision), [100, 0, 0], atol=0.6)
        np.testing.assert_allclose(lab_seen_with("#000000", vision), [0, 0, 0], atol=1e-9)


@pytest.mark.parametrize("vision", ["protanopia", "deuteranopia", "tritanopia"])
def test_palette_colours_stay_distinguishable_under_simulated_dichromacy(vision):
    delta_e, a, b = closest_pair(PALETTE, vision)
    print(f"{vision}: closest pair {a} / {b}, ΔE2000 = {delta_e:.1f}")
    assert delta_e >= MIN_DELTA_E, f"with {vision}, {a} and {b} are only ΔE2000 {delta_e:.1f} apart"


def test_palette_colours_are_far_apart_with_typical_colour_vision():
    delta_e, a, b = closest_pair(PALETTE, "typical")
    assert delta_e >= MIN_DELTA_E_TYPICAL, f"{a} and {b} are only ΔE2000 {delta_e:.1f} apart"


@pytest.mark.parametrize("vision", ["protanopia", "deuteranopia", "tritanopia"])
def test_the_check_rejects_matplotlibs_default_colours(vision):
    delta_e, a, b = closest_pair(TAB10, vision)
    assert delta_e < MIN_DELTA_E, f"tab10 would pass with {vision} ({a} / {b}: {delta_e:.1f}): the check is too lax"


def test_palette_is_okabe_ito_and_use_style_puts_it_on_every_axes():
    assert len(PALETTE) == len(set(PALETTE)) >= 6
    assert set(PALETTE) <= set(OKABE_ITO.values())
    with mpl.rc_context():
        use_style()
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == PALETTE

"""The anonymity threshold shared by every figure shown from survey answers.

A group figure from fewer than k distinct respondents is never shown (promise 9). The threshold
defaults to 5 and can never be set below 3.
"""

K_DEFAULT = 5
K_MINIMUM = 3
IN_RATINGS_MINIMUM = 3


def k_valid(k: int) -> bool:
    return k >= K_MINIMUM


def figure_allowed(respondents: int, k: int) -> bool:
    return respondents >= max(k, K_MINIMUM)

"""Type stub of the C kernel ``_sweep.c``: see the comment at the top of that file."""

import numpy as np

def sweep(
    ptr: np.ndarray,
    adj: np.ndarray,
    sources: np.ndarray,
    between: np.ndarray,
    harmonic: np.ndarray,
    /,
) -> None: ...

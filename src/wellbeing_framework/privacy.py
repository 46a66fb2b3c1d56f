"""Pseudonymisation: keyed HMAC-SHA-256, never a plain hash."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable

import pandas as pd

from wellbeing_framework.exceptions import WellbeingFrameworkError

__all__ = ["KEY_VARIABLE", "pseudonymise"]

#: The environment variable read when no key is passed.
KEY_VARIABLE = "WELLBEING_PSEUDONYM_KEY"


def pseudonymise(
    values: pd.Series | Iterable[object],
    key: str | bytes | None = None,
    *,
    length: int = 16,
    prefix: str = "",
) -> pd.Series:
    """Replace identifiers with keyed pseudonyms (HMAC-SHA-256).

    The same identifier and key always give the same pseudonym, so records still link; a
    different key gives unrelated pseudonyms. Unlike a plain hash, a pseudonym cannot be
    reversed by hashing every possible identifier without the key.

    Parameters
    ----------
    values
        Identifiers (text or numbers); missing values stay missing.
    key
        The secret key. ``None`` reads it from the environment variable
        ``WELLBEING_PSEUDONYM_KEY``. The key is never written anywhere by this library; keep
        it apart from the data.
    length
        Hexadecimal characters kept (16 to 64; 16 gives 64 bits).
    prefix
        Text put in front of each pseudonym (e.g. ``"P-"``).

    Returns
    -------
    pandas.Series
        The pseudonyms, with the index of ``values`` when it is a Series.

    Raises
    ------
    WellbeingFrameworkError
        If there is no key, or the key is shorter than 16 characters.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M., & Canetti, R. (1997). HMAC: Keyed-hashing for message
       authentication. RFC 2104.

    Examples
    --------
    >>> pseudonymise(["H123", "H456", None], key="a long secret key, kept elsewhere").tolist()
    ['77f6af7714bb9a70', 'ffe0fc189a32f2f1', None]
    """
    secret = key if key is not None else os.environ.get(KEY_VARIABLE)
    if not secret:
        msg = f"no pseudonymisation key: pass key= or set the environment variable {KEY_VARIABLE}"
        raise WellbeingFrameworkError(msg)
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(secret_bytes) < 16:
        msg = "the pseudonymisation key must be at least 16 characters long"
        raise WellbeingFrameworkError(msg)
    if not 16 <= length <= 64:
        msg = f"length must be between 16 and 64, got {length}"
        raise ValueError(msg)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)

    def one(value: object) -> str | None:
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            return None
        digest = hmac.new(secret_bytes, str(value).encode("utf-8"), hashlib.sha256)
        return prefix + digest.hexdigest()[:length]

    return pd.Series(
        [one(v) for v in series.astype(object)], index=series.index, dtype=object, name=series.name
    )

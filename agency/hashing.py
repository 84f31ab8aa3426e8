"""How invitation tokens and API keys are stored: as a hash, never in clear."""

import hashlib


def secret_hash(secret: str) -> str:
    # Tokens and keys are 32 random bytes: a fast hash is enough (no dictionary to attack),
    # and it lets authentication find the row by hash in one indexed query.
    return hashlib.sha256(secret.encode()).hexdigest()

"""`python -m bot.classify.seed`: rebuild the shipped seed model after editing the corpus."""

from __future__ import annotations

from pathlib import Path

from bot.classify import seed, train

path = Path(seed.__file__).with_name(train.SEED_ARTIFACT)
built = train.build(seed.load(), version=train.seed_version())
path.write_bytes(built.to_bytes())
print(f"wrote {path} ({path.stat().st_size // 1024} KB), version {built.version}")

import pytest

from bot import db
from bot.errors import DatabaseError


def test_an_unreachable_postgres_is_one_sentence_naming_the_setting():
    engine = db.make_engine("postgresql://postgres@127.0.0.1:9/silta")
    with pytest.raises(DatabaseError) as caught:
        db.check_reachable(engine)
    message = str(caught.value)
    assert message.startswith("DATABASE_URL: cannot connect to postgresql")
    assert "127.0.0.1:9" in message
    assert "Traceback" not in message


def test_a_sqlite_file_in_a_missing_folder_is_explained(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'silta.db'}")
    with pytest.raises(DatabaseError, match="DATABASE_URL: cannot connect"):
        db.check_reachable(engine)

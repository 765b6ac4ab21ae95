"""A bare Flask page for comparison: a 50-row table as wide as the case list, no database, no login.

    .venv/bin/gunicorn -w 2 -b 127.0.0.1:8012 --chdir bench bare_app:app

`bench/case_pages.py` serves it the same way as the app and reports the app's
throughput as a share of this page's.
"""

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from flask import Flask, render_template

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from disputes.demo import people

app = Flask(__name__, template_folder="templates")


def _rows(n: int = 50, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    today = date(2026, 11, 21)
    stages = ("调解", "仲裁", "诉讼", "受理")
    categories = ("工资", "加班费", "经济补偿金", "社会保险", "工伤医疗", "二倍工资")
    return [
        {
            "id": 1_000_000 - i,
            "registry_no": f"深龙调援〔2026〕第{12_345 - i:06d}号",
            "registered_on": (today - timedelta(days=i // 8)).isoformat(),
            "worker": people.person_name(rng),
            "more_workers": rng.choice((0, 0, 0, 1, 2)),
            "employer": people.employer_name(rng),
            "claims": rng.sample(categories, rng.randint(1, 3)),
            "flags": ["绿色通道"] if rng.random() < 0.4 else [],
            "amount": f"¥{rng.randint(2_000, 90_000):,}.00",
            "stage": rng.choice(stages),
            "closed": rng.random() < 0.3,
            "unit": rng.choice(("龙岗区调援裁诉中心", "龙岗区劳动人事争议仲裁委员会", "布吉街道劳动争议调解委员会")),
        }
        for i in range(n)
    ]


ROWS = _rows()


@app.route("/")
def index():
    return render_template("bare.html", rows=ROWS)

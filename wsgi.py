import sys

from config import ConfigError
from disputes import create_app

try:
    app = create_app()
except ConfigError as error:  # one line a wrong or missing setting, not a traceback
    print(error, file=sys.stderr)
    sys.exit(2)

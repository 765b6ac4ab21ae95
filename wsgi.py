import gc
import sys

from config import ConfigError
from disputes import create_app

try:
    app = create_app()
except ConfigError as error:  # one line a wrong or missing setting, not a traceback
    print(error, file=sys.stderr)
    sys.exit(2)

# The app's modules, catalogues and mappers (some 200,000 objects) live as long as the process: keep them out of the
# collector's full passes, which otherwise stop a request now and then for tens of milliseconds (bench/README.md,
# issue 18 part 8: the list's slowest of 40 requests 55 -> 18 ms).
gc.freeze()

import sys

from digit_app.cli import main

sys.exit(main())

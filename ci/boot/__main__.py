import sys

from generator import interrupt

from .run import main

sys.exit(interrupt.run(main, 'ci.boot'))

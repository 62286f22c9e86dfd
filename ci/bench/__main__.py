import sys

from generator import interrupt

from .main import main

sys.exit(interrupt.run(main, 'ci.bench'))

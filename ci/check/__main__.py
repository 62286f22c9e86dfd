import sys

from ci.check.main import main

sys.exit(main())

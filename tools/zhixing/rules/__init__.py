"""Rule modules, one per record kind. Importing this package registers every rule."""

from zhixing.rules import meetings

ALL_MODULES = (meetings,)

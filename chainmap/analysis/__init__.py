"""Analyses: pure functions over a workspace's frames that return DataFrames.

Re-exports the ``__all__`` of each analysis module (:mod:`.anchor`, :mod:`.gaps`,
:mod:`.graph`, :mod:`.impact`, :mod:`.metrics`, :mod:`.opportunities`, :mod:`.related`,
:mod:`.targets`) and
:func:`~.common.open_lead_firms`. The function shadows its module's name here:
``chainmap.analysis.gaps`` is the function; ``import chainmap.analysis.gaps as m``
still gives the module.
"""

from . import anchor as _anchor
from . import gaps as _gaps
from . import graph as _graph
from . import impact as _impact
from . import metrics as _metrics
from . import opportunities as _opportunities
from . import related as _related
from . import targets as _targets
from .anchor import *  # noqa: F403
from .common import open_lead_firms as open_lead_firms
from .gaps import *  # noqa: F403
from .graph import *  # noqa: F403
from .impact import *  # noqa: F403
from .metrics import *  # noqa: F403
from .opportunities import *  # noqa: F403
from .related import *  # noqa: F403
from .targets import *  # noqa: F403

#: The analysis modules whose ``__all__`` is re-exported here.
_MODULES = (_anchor, _gaps, _graph, _impact, _metrics, _opportunities, _related, _targets)

__all__ = sorted({"open_lead_firms", *(name for module in _MODULES for name in module.__all__)})

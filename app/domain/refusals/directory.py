"""TODO"""

from app.domain.refusals._mark import N_

DIRECTORY: dict[str, str] = {
}

"""TODO"""

from app.domain.refusals._mark import N_

PEOPLE: dict[str, str] = {
}

"""TODO"""

from app.domain.refusals._mark import N_

SERVICES: dict[str, str] = {
}

API_CODES: dict[str, str] = {
}

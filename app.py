"""Run the whole of OneVoice on the embedded default: ``python app.py``.

SQLite under instance/, schema migrated, demo loaded when the database is empty, the worker
in-process, serving http://127.0.0.1:5000. For ``flask --app app ...`` this module also
exposes the application object.
"""

from __future__ import annotations

import os

from app import create_app

app = create_app()


def main() -> None:
    """Migrate, load the demo if empty, start the worker, serve."""
    from flask_migrate import upgrade

    from app.cli import print_demo_logins
    from app.services.demo import load_demo
    from app.worker import start_in_process

    host = os.environ.get("ONEVOICE_HOST", "127.0.0.1")
    port = int(os.environ.get("ONEVOICE_PORT", "5000"))
    with app.app_context():
        upgrade(revision="heads")
        if load_demo():
            print("Loaded the demo organisation and its bulletins.")
        print_demo_logins()
    start_in_process(app)
    print(f"OneVoice is serving http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()

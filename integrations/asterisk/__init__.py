"""Reference adapters that keep a routing system equal to OneVoice's eligibility.

``flask --app app routing asterisk`` (cli.py) drives Asterisk queues over the AMI
(asterisk.py); the passes (runner.py) read the stored eligibility and its outbox
(source.py), plan with app/domain/routing.py and remember their place (state.py).
See docs/integration.md.
"""

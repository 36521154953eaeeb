"""The rules of OneVoice as pure Python: no Flask, no SQLAlchemy.

Plain dataclasses in, plain data out, so every rule can be tested as a table on a frozen
clock. Services load models, call these functions and save what they return.
"""

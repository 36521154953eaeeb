"""Adapters that connect OneVoice to other systems."""

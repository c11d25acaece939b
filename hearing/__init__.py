"""hearing: speech to timed words, shared by both commands. audio2text transcribes an
episode with it; text2audio's --verify listens to the episode it narrated.

decode.py (ffmpeg to 16 kHz samples) > models.py (the Whisper models: packaged, pinned and
hash-checked, or a user's folder) > transcribe.py (the engine contract; faster-whisper) >
transcript.py (timed words and segments, and joining Whisper's word pieces).
"""

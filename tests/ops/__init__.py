"""Operations: settings, start-up checks, the embedded stack, and the production compose file."""

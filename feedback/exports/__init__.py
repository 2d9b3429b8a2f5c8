"""Writers that turn plain rows or rendered pages into files. No database access here."""

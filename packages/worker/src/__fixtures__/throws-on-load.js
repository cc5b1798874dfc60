// A module that fails while it loads.
throw new Error('DATABASE_URL is not set\n    at a second line that must not show');

//! PAM domain types (validated on construction) and ports (traits the adapters implement).

//! The PAM steps: one module per Step Functions Task, each an ordinary async fn over the ports.

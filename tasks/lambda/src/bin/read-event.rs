//! The `ReadEvent` Task of the labelling state machine (`${ReadEventFunctionArn}`).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::serve_labelling_step("ReadEvent").await
}

//! `GET /labels` behind API Gateway.

use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{LambdaEvent, service_fn};
use pam_lambdas::{Aws, ProcessEnv, api, or_exit};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let index = &or_exit(aws.index(&ProcessEnv)).await;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<_, std::convert::Infallible>(api::labels::handle(index, event.payload).await)
        },
    ))
    .await
}

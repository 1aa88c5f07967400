//! `GET /executions` and `GET /executions/{arn}/history` behind API Gateway.

use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{LambdaEvent, service_fn};
use pam_lambdas::api::executions::{Executions, handle};
use pam_lambdas::{Aws, ProcessEnv, env, or_exit};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let download = or_exit(env::required(&ProcessEnv, env::DOWNLOAD_STATE_MACHINE_ARN)).await;
    let labelling = or_exit(env::required(&ProcessEnv, env::LABELLING_STATE_MACHINE_ARN)).await;
    let sfn = aws.executions();
    let api = &Executions {
        sfn: &sfn,
        machines: vec![download, labelling],
    };
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<_, std::convert::Infallible>(handle(api, event.payload).await)
        },
    ))
    .await
}

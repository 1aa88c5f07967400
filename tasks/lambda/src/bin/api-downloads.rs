//! `POST /downloads` and `GET /downloads/{id}` behind API Gateway.

use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_runtime::{LambdaEvent, service_fn};
use pam_core::clock::SystemClock;
use pam_lambdas::api::downloads::{Downloads, handle};
use pam_lambdas::{Aws, ProcessEnv, env, or_exit};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    pam_lambdas::init_tracing();
    let aws = Aws::load(&ProcessEnv).await;
    let machine = or_exit(env::required(&ProcessEnv, env::DOWNLOAD_STATE_MACHINE_ARN)).await;
    let keys = or_exit(aws.keys(&ProcessEnv)).await;
    let jobs = or_exit(aws.jobs(&ProcessEnv)).await;
    let default_ttl = or_exit(env::link_ttl(&ProcessEnv)).await;
    let sfn = aws.executions();
    let api = &Downloads {
        keys: &keys,
        jobs: &jobs,
        clock: &SystemClock,
        sfn: &sfn,
        machine: &machine,
        default_link_ttl: default_ttl,
    };
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayProxyRequest>| async move {
            Ok::<_, std::convert::Infallible>(handle(api, event.payload).await)
        },
    ))
    .await
}

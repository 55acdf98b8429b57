//! The simulated organisation: accounts and Regions, identities, user agents,
//! and the catalog of API call streams with their rates and daily/weekly rhythm.
//!
//! Rates are events per minute in the busiest account/Region at scale 1,
//! averaged over a weekday; each account/Region multiplies them by its volume.

/// An account and Region that delivers logs, with its share of the traffic.
pub(crate) struct Place {
    pub account: &'static str,
    pub region: &'static str,
    pub volume: f64,
}

pub(crate) const PLACES: &[Place] = &[
    Place {
        account: "111122223333",
        region: "us-east-1",
        volume: 1.0,
    },
    Place {
        account: "111122223333",
        region: "eu-west-1",
        volume: 0.5,
    },
    Place {
        account: "444455556666",
        region: "us-east-1",
        volume: 0.4,
    },
    Place {
        account: "777788889999",
        region: "us-east-1",
        volume: 0.3,
    },
    Place {
        account: "777788889999",
        region: "us-west-2",
        volume: 0.2,
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    IamUser,
    AssumedRole,
    AwsService,
}

impl Kind {
    /// The record's `userIdentity.type` for this kind of identity.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::IamUser => "IAMUser",
            Kind::AssumedRole => "AssumedRole",
            Kind::AwsService => "AWSService",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Agent {
    Console,
    Cli,
    Boto3,
    JavaSdk,
    GoSdk,
    Terraform,
    /// The deploy pipeline's Terraform (a different Terraform and provider version).
    TerraformPipeline,
    Ssm,
    OldCli,
    /// The calling service's own name (`invokedBy`).
    Service,
}

impl Agent {
    pub fn text(self, identity: &Identity) -> &'static str {
        match self {
            Agent::Console => "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            Agent::Cli => "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off",
            Agent::Boto3 => "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
            Agent::JavaSdk => "aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
            Agent::GoSdk => "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5",
            Agent::Terraform => "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64",
            Agent::TerraformPipeline => "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64",
            Agent::Ssm => "aws-sdk-go/1.44.260 (go1.20.11; linux; amd64) amazon-ssm-agent/3.2.2016.0",
            Agent::OldCli => "aws-cli/1.16.312 Python/2.7.16 Linux/4.14.133-113.105.amzn2.x86_64 botocore/1.13.48",
            Agent::Service => identity.name,
        }
    }
}

/// A principal that makes calls. `name` is the user, the role, or the service.
pub(crate) struct Identity {
    pub kind: Kind,
    pub name: &'static str,
    pub session: &'static str,
    pub agent: Agent,
    pub ip: &'static str,
}

impl Identity {
    /// `userIdentity.arn` (empty for services).
    pub fn arn(&self, account: &str) -> String {
        match self.kind {
            Kind::IamUser => format!("arn:aws:iam::{account}:user/{}", self.name),
            Kind::AssumedRole => format!(
                "arn:aws:sts::{account}:assumed-role/{}/{}",
                self.name, self.session
            ),
            Kind::AwsService => String::new(),
        }
    }

    /// The attribution identity as AWS shows it (role without the session name).
    pub fn attribution(&self, account: &str) -> String {
        match self.kind {
            Kind::IamUser => self.arn(account),
            Kind::AssumedRole => format!("arn:aws:sts::{account}:assumed-role/{}", self.name),
            Kind::AwsService => self.name.to_string(),
        }
    }
}

pub(crate) const ALICE: usize = 0;
pub(crate) const BOB: usize = 1;
pub(crate) const CI: usize = 2;
pub(crate) const ADMIN: usize = 3;
pub(crate) const DEVOPS: usize = 4;
pub(crate) const TERRAFORM: usize = 5;
pub(crate) const BACKEND: usize = 6;
pub(crate) const PIPELINE: usize = 7;
pub(crate) const AUTOSCALING: usize = 8;
pub(crate) const CLOUDTRAIL: usize = 9;
pub(crate) const LEGACY: usize = 10;
pub(crate) const SSM_AUTOMATION: usize = 11;
pub(crate) const INTRUDER: usize = 12;
pub(crate) const BACKUP: usize = 13;
pub(crate) const CONFIG: usize = 14;
// Callers of the realistic shapes only (`super::realistic`): appended, so the
// indexes above, and the default output, do not change.
pub(crate) const TERRAFORM_ROLE: usize = 15;
pub(crate) const LOG_ROUTER: usize = 16;
pub(crate) const BATCH: usize = 17;

#[rustfmt::skip]
pub(crate) const IDENTITIES: &[Identity] = &[
    Identity { kind: Kind::IamUser, name: "alice", session: "", agent: Agent::Console, ip: "203.0.113.24" },
    Identity { kind: Kind::IamUser, name: "bob", session: "", agent: Agent::Cli, ip: "198.51.100.77" },
    Identity { kind: Kind::IamUser, name: "ci-deployer", session: "", agent: Agent::Terraform, ip: "192.0.2.10" },
    Identity { kind: Kind::AssumedRole, name: "Admin", session: "alice@example.com", agent: Agent::Console, ip: "203.0.113.24" },
    Identity { kind: Kind::AssumedRole, name: "DevOps", session: "bob", agent: Agent::Cli, ip: "198.51.100.77" },
    Identity { kind: Kind::AssumedRole, name: "TerraformDeploy", session: "github-actions", agent: Agent::Terraform, ip: "192.0.2.10" },
    Identity { kind: Kind::AssumedRole, name: "app-backend", session: "i-0a1b2c3d4e5f60718", agent: Agent::Boto3, ip: "54.210.33.17" },
    Identity { kind: Kind::AssumedRole, name: "data-pipeline", session: "emr-job", agent: Agent::JavaSdk, ip: "54.210.40.2" },
    Identity { kind: Kind::AwsService, name: "autoscaling.amazonaws.com", session: "", agent: Agent::Service, ip: "autoscaling.amazonaws.com" },
    Identity { kind: Kind::AwsService, name: "cloudtrail.amazonaws.com", session: "", agent: Agent::Service, ip: "cloudtrail.amazonaws.com" },
    Identity { kind: Kind::AssumedRole, name: "legacy-sync-lambda", session: "legacy-sync", agent: Agent::GoSdk, ip: "3.91.12.200" },
    Identity { kind: Kind::AssumedRole, name: "ssm-automation", session: "maintenance-window", agent: Agent::Ssm, ip: "54.210.33.40" },
    Identity { kind: Kind::IamUser, name: "svc-backup", session: "", agent: Agent::OldCli, ip: "185.220.101.47" },
    Identity { kind: Kind::AwsService, name: "backup.amazonaws.com", session: "", agent: Agent::Service, ip: "backup.amazonaws.com" },
    Identity { kind: Kind::AwsService, name: "config.amazonaws.com", session: "", agent: Agent::Service, ip: "config.amazonaws.com" },
    Identity { kind: Kind::AssumedRole, name: "TerraformRole", session: "deploy-pipeline", agent: Agent::TerraformPipeline, ip: "192.0.2.20" },
    Identity { kind: Kind::AssumedRole, name: "log-router", session: "ecs-task-log-router", agent: Agent::Boto3, ip: "54.210.33.90" },
    Identity { kind: Kind::AssumedRole, name: "capacity-batch", session: "eventbridge-scheduler", agent: Agent::JavaSdk, ip: "54.210.40.9" },
];

/// How a stream's rate varies over the day and week (UTC).
#[derive(Clone, Copy)]
pub(crate) enum Rhythm {
    /// Office hours on weekdays, little at night and on weekends.
    Business,
    /// Around the clock, slightly busier by day.
    Flat,
    /// A scheduled job: `count` calls in the minutes after `hour:00` every day.
    Nightly { hour: u32, count: f64, minutes: u32 },
}

/// Hour-of-day multipliers of [`Rhythm::Business`] on weekdays (mean ≈ 1.1).
const BUSINESS: [f64; 24] = [
    0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.2, 0.5, 1.5, 2.5, 3.0, 2.5, 1.8, 2.2, 2.5, 2.4, 2.0, 1.2,
    0.6, 0.3, 0.25, 0.2, 0.15, 0.15,
];

impl Rhythm {
    /// Multiplier of the base rate in `hour` of a weekday or weekend day.
    pub fn factor(self, hour: usize, weekend: bool) -> f64 {
        match self {
            Rhythm::Business if weekend => {
                if (10..17).contains(&hour) {
                    0.3
                } else {
                    0.1
                }
            }
            Rhythm::Business => BUSINESS[hour],
            Rhythm::Flat => {
                let day = if (7..19).contains(&hour) { 1.2 } else { 0.8 };
                if weekend {
                    day * 0.9
                } else {
                    day
                }
            }
            Rhythm::Nightly { .. } => 0.0,
        }
    }
}

/// A stream of calls to one API by a set of callers.
pub(crate) struct Stream {
    pub source: &'static str,
    pub name: &'static str,
    pub read_only: bool,
    /// Calls per minute (see the module doc).
    pub rate: f64,
    pub rhythm: Rhythm,
    /// (identity index, weight).
    pub callers: &'static [(usize, u32)],
    /// (errorCode, probability per call).
    pub errors: &'static [(&'static str, f64)],
    /// Global services log in us-east-1 only.
    pub global: bool,
    /// Only in this place (index into [`PLACES`]).
    pub only: Option<usize>,
    /// Data event (`eventCategory: "Data"`).
    pub data: bool,
}

const fn s(
    source: &'static str,
    name: &'static str,
    read_only: bool,
    rate: f64,
    rhythm: Rhythm,
    callers: &'static [(usize, u32)],
    errors: &'static [(&'static str, f64)],
) -> Stream {
    Stream {
        source,
        name,
        read_only,
        rate,
        rhythm,
        callers,
        errors,
        global: false,
        only: None,
        data: false,
    }
}

const fn global(mut st: Stream) -> Stream {
    st.global = true;
    st
}

const EC2: &str = "ec2.amazonaws.com";
const IAM: &str = "iam.amazonaws.com";
const STS: &str = "sts.amazonaws.com";
const KMS: &str = "kms.amazonaws.com";
const S3: &str = "s3.amazonaws.com";
const SSM: &str = "ssm.amazonaws.com";
const LAMBDA: &str = "lambda.amazonaws.com";
const CFN: &str = "cloudformation.amazonaws.com";
const LOGS: &str = "logs.amazonaws.com";
const DDB: &str = "dynamodb.amazonaws.com";
const RDS: &str = "rds.amazonaws.com";
const ELB: &str = "elasticloadbalancing.amazonaws.com";

use Rhythm::{Business, Flat};

#[rustfmt::skip]
pub(crate) const STREAMS: &[Stream] = &[
    s(EC2, "DescribeInstances", true, 2.0, Flat, &[(BACKEND, 6), (DEVOPS, 1), (AUTOSCALING, 3)], &[("Client.RequestLimitExceeded", 0.003), ("Client.UnauthorizedOperation", 0.001)]),
    s(EC2, "DescribeSecurityGroups", true, 0.4, Business, &[(DEVOPS, 2), (ADMIN, 2), (TERRAFORM, 3)], &[]),
    s(EC2, "CreateTags", false, 0.3, Business, &[(TERRAFORM, 3), (AUTOSCALING, 4)], &[]),
    s(EC2, "RunInstances", false, 0.05, Business, &[(AUTOSCALING, 8), (TERRAFORM, 2)], &[("Server.InsufficientInstanceCapacity", 0.02)]),
    s(EC2, "TerminateInstances", false, 0.04, Business, &[(AUTOSCALING, 8), (DEVOPS, 1)], &[]),
    s(EC2, "AuthorizeSecurityGroupIngress", false, 0.01, Business, &[(TERRAFORM, 3), (ADMIN, 1)], &[("Client.InvalidPermission.Duplicate", 0.1)]),
    s(EC2, "CreateSnapshot", false, 0.0, Rhythm::Nightly { hour: 2, count: 30.0, minutes: 3 }, &[(BACKUP, 1)], &[]),
    s(STS, "AssumeRole", true, 1.5, Flat, &[(BACKEND, 5), (PIPELINE, 3), (DEVOPS, 1)], &[("AccessDenied", 0.001)]),
    global(s(STS, "GetCallerIdentity", true, 0.2, Business, &[(BOB, 2), (DEVOPS, 2), (CI, 1)], &[])),
    s(KMS, "Decrypt", true, 1.5, Flat, &[(BACKEND, 5), (PIPELINE, 3)], &[("AccessDeniedException", 0.0005)]),
    s(KMS, "GenerateDataKey", true, 1.0, Flat, &[(CLOUDTRAIL, 3), (BACKEND, 1)], &[]),
    s(S3, "GetBucketAcl", true, 0.8, Flat, &[(CLOUDTRAIL, 1)], &[]),
    s(S3, "ListBuckets", true, 0.1, Business, &[(ALICE, 2), (BOB, 2), (ADMIN, 1)], &[]),
    s(S3, "GetBucketPolicy", true, 0.2, Flat, &[(CONFIG, 1)], &[("NoSuchBucketPolicy", 0.3)]),
    s(S3, "PutBucketPolicy", false, 0.0005, Business, &[(TERRAFORM, 1)], &[("MalformedPolicy", 0.1)]),
    s(S3, "CreateBucket", false, 0.0003, Business, &[(TERRAFORM, 1)], &[]),
    s(SSM, "UpdateInstanceInformation", false, 3.0, Flat, &[(BACKEND, 1)], &[]),
    s(SSM, "GetParameter", true, 0.5, Flat, &[(BACKEND, 3), (PIPELINE, 1)], &[("ParameterNotFound", 0.002)]),
    s(SSM, "SendCommand", false, 0.0442, Business, &[(SSM_AUTOMATION, 4), (DEVOPS, 1)], &[]),
    global(s(IAM, "GetRolePolicy", true, 0.05, Business, &[(TERRAFORM, 3), (CONFIG, 2)], &[("NoSuchEntityException", 0.03)])),
    global(s(IAM, "ListRoles", true, 0.08, Business, &[(ADMIN, 2), (CONFIG, 3)], &[])),
    global(s(IAM, "GetUser", true, 0.05, Business, &[(ALICE, 1), (BOB, 1), (CONFIG, 2)], &[("NoSuchEntity", 0.01)])),
    global(s(IAM, "CreateRole", false, 0.0005, Business, &[(TERRAFORM, 1)], &[("EntityAlreadyExists", 0.1)])),
    global(s(IAM, "AttachRolePolicy", false, 0.001, Business, &[(TERRAFORM, 1)], &[])),
    global(s(IAM, "PutRolePolicy", false, 0.001, Business, &[(TERRAFORM, 1)], &[])),
    global(s(IAM, "CreateAccessKey", false, 0.0002, Business, &[(ADMIN, 1)], &[])),
    s(LAMBDA, "UpdateFunctionCode20150331v2", false, 0.02, Business, &[(CI, 1)], &[("ResourceConflictException", 0.05)]),
    s(LAMBDA, "GetFunction20150331v2", true, 0.1, Business, &[(CI, 1), (TERRAFORM, 1)], &[("ResourceNotFoundException", 0.02)]),
    s(LAMBDA, "ListFunctions20150331", true, 0.1, Business, &[(ALICE, 1), (ADMIN, 1)], &[]),
    s(CFN, "DescribeStacks", true, 0.2, Business, &[(CI, 2), (ADMIN, 1)], &[("ValidationError", 0.01)]),
    s(CFN, "UpdateStack", false, 0.005, Business, &[(CI, 1)], &[("ValidationError", 0.2)]),
    s(LOGS, "CreateLogStream", false, 0.5, Business, &[(BACKEND, 3), (PIPELINE, 1)], &[("ResourceAlreadyExistsException", 0.01)]),
    s(LOGS, "DescribeLogGroups", true, 0.3, Business, &[(ALICE, 1), (BACKEND, 2)], &[]),
    s(DDB, "DescribeTable", true, 0.4, Flat, &[(BACKEND, 1)], &[]),
    s(DDB, "UpdateTable", false, 0.001, Business, &[(TERRAFORM, 1)], &[]),
    s(RDS, "DescribeDBInstances", true, 0.3, Flat, &[(PIPELINE, 1), (CONFIG, 1)], &[]),
    s(RDS, "CreateDBSnapshot", false, 0.0, Rhythm::Nightly { hour: 3, count: 4.0, minutes: 2 }, &[(BACKUP, 1)], &[]),
    s(ELB, "DescribeTargetHealth", true, 0.5, Flat, &[(AUTOSCALING, 1)], &[]),
    s(ELB, "RegisterTargets", false, 0.03, Business, &[(AUTOSCALING, 1)], &[]),
    s("ecr.amazonaws.com", "GetAuthorizationToken", true, 0.3, Flat, &[(BACKEND, 1)], &[]),
    // A decoy: AccessDenied on every call, ~5 a minute all week (steady error noise).
    Stream { only: Some(0), ..s(STS, "AssumeRole", true, 5.0, Flat, &[(LEGACY, 1)], &[("AccessDenied", 1.0)]) },
    // Data events, which management Insights do not watch.
    Stream { only: Some(0), data: true, ..s(S3, "GetObject", true, 0.5, Flat, &[(PIPELINE, 1)], &[]) },
];

/// Read-only flag of an API in the catalog (false for APIs not in it).
pub(crate) fn read_only(source: &str, name: &str) -> bool {
    STREAMS
        .iter()
        .find(|st| st.source == source && st.name == name)
        .is_some_and(|st| st.read_only)
}

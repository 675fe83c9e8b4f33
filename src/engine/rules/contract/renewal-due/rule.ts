import { contractRenewalRule } from "../renewal-rule.js";

export default contractRenewalRule("contract/renewal-due");

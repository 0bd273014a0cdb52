// The Vant components the UI uses, registered one by one with their styles so the bundle
// carries only these. Add a component here (with its style) before using it in a template.
import {
  ActionSheet,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  DatePicker,
  Dialog,
  Divider,
  DropdownItem,
  DropdownMenu,
  Empty,
  Field,
  Form,
  Icon,
  List,
  Loading,
  NavBar,
  Popup,
  Progress,
  PullRefresh,
  Radio,
  Rate,
  RadioGroup,
  Search,
  Skeleton,
  Stepper,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  TreeSelect,
} from 'vant';

import 'vant/es/style/base.css';
import 'vant/es/action-sheet/style/index';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/checkbox/style/index';
import 'vant/es/checkbox-group/style/index';
import 'vant/es/date-picker/style/index';
import 'vant/es/dialog/style/index';
import 'vant/es/divider/style/index';
import 'vant/es/dropdown-item/style/index';
import 'vant/es/dropdown-menu/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/list/style/index';
import 'vant/es/loading/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/popup/style/index';
import 'vant/es/progress/style/index';
import 'vant/es/pull-refresh/style/index';
import 'vant/es/radio-group/style/index';
import 'vant/es/radio/style/index';
import 'vant/es/rate/style/index';
import 'vant/es/search/style/index';
import 'vant/es/skeleton/style/index';
import 'vant/es/stepper/style/index';
import 'vant/es/switch/style/index';
import 'vant/es/tab/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import 'vant/es/tabs/style/index';
import 'vant/es/tag/style/index';
import 'vant/es/tree-select/style/index';
// Used through functions (showToast, showConfirmDialog) rather than tags.
import 'vant/es/toast/style/index';

const COMPONENTS = [
  ActionSheet,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  DatePicker,
  Dialog,
  Divider,
  DropdownItem,
  DropdownMenu,
  Empty,
  Field,
  Form,
  Icon,
  List,
  Loading,
  NavBar,
  Popup,
  Progress,
  PullRefresh,
  Radio,
  Rate,
  RadioGroup,
  Search,
  Skeleton,
  Stepper,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  TreeSelect,
];

export default {
  install(app) {
    for (const c of COMPONENTS) app.use(c);
  },
};

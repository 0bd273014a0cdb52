// The Vant components the UI uses, registered one by one with their styles so the bundle
// carries only these. Add a component here (with its style) before using it in a template.
import {
  Button,
  Cell,
  CellGroup,
  Empty,
  Field,
  Form,
  Icon,
  Loading,
  NavBar,
  Switch,
  Tabbar,
  TabbarItem,
  Tag,
} from 'vant';

import 'vant/es/style/base.css';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/loading/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/switch/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import 'vant/es/tag/style/index';
// Used through functions (showToast, showConfirmDialog) rather than tags.
import 'vant/es/toast/style/index';
import 'vant/es/dialog/style/index';

const COMPONENTS = [Button, Cell, CellGroup, Empty, Field, Form, Icon, Loading, NavBar, Switch, Tabbar, TabbarItem, Tag];

export default {
  install(app) {
    for (const c of COMPONENTS) app.use(c);
  },
};
